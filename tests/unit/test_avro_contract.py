"""The Avro contract of schemas/: what integrators decode, and how it may evolve."""

from __future__ import annotations

import io
import json
import struct

import fastavro
import pytest

from lucy_events.bus.avro import AvroCodec, SchemaRegistryFile, UndecodableMessage, schemas_dir
from lucy_events.bus.catalogue import EVENT_CLASSES, TOPIC_OF
from lucy_events.bus.records import BusEvent
from lucy_events.bus.schema_derivation import derive_schema
from tests.samples import sample_event

CODEC = AvroCodec()


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_every_event_type_round_trips_through_avro(event_type):
    event = BusEvent.from_domain(sample_event(event_type), notification_id=41)
    value = CODEC.encode(event)
    assert value[0] == 0 and struct.unpack(">I", value[1:5])[0] == CODEC.schema_id(event_type)
    assert CODEC.decode(value) == event


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_the_latest_schema_of_each_event_matches_its_class_field_for_field(event_type):
    latest = SchemaRegistryFile().latest()[event_type]
    committed = [(f["name"], f["type"]) for f in latest.schema["fields"][1:]]
    derived_fields = derive_schema(EVENT_CLASSES[event_type])["fields"][1:]
    derived = [(f["name"], f["type"]) for f in derived_fields]
    assert committed == derived
    assert latest.topic == TOPIC_OF[event_type]


def test_schema_ids_are_fixed_and_unique_and_every_file_loads_on_its_own():
    registry = json.loads((schemas_dir() / "registry.json").read_text())
    ids = [entry["id"] for entry in registry["schemas"]]
    assert len(ids) == len(set(ids))
    assert {e["subject"].rsplit(".", 1)[1] for e in registry["schemas"]} == set(EVENT_CLASSES)
    for entry in registry["schemas"]:  # what an integrator does with nothing but schemas/
        fastavro.schema.load_schema(str(schemas_dir() / entry["file"]))


def test_an_event_written_with_the_v1_schema_decodes_with_the_v2_reader():
    v1 = next(s for s in SchemaRegistryFile().schemas
              if s.event_type == "PeppolEnabled" and s.version == 1)
    event = BusEvent.from_domain(sample_event("PeppolEnabled"), notification_id=7)
    record = event.to_record()
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(v1.schema),
                               {"envelope": record["envelope"]})
    old_value = struct.pack(">bI", 0, v1.id) + body.getvalue()
    decoded = CODEC.decode(old_value)
    assert decoded.data == {"send": True, "receive": True, "confirmation": ""}
    assert decoded.event_id == event.event_id


def test_a_peppol_enabled_written_with_the_v2_schema_decodes_without_a_confirmation():
    v2 = next(s for s in SchemaRegistryFile().schemas
              if s.event_type == "PeppolEnabled" and s.version == 2)
    record = BusEvent.from_domain(sample_event("PeppolEnabled"), notification_id=8).to_record()
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(v2.schema),
                               {"envelope": record["envelope"], "send": False,
                                "receive": True})
    decoded = CODEC.decode(struct.pack(">bI", 0, v2.id) + body.getvalue())
    assert decoded.data == {"send": False, "receive": True, "confirmation": ""}


@pytest.mark.parametrize("garbage", [b"", b"\x00\x00", b"{\"json\": true}",
                                     b"\x00\x00\x00\x99\x99body", b"\x00\x00\x00\x04\x4d\xff"])
def test_a_value_that_is_not_ours_is_undecodable_and_keeps_its_bytes(garbage):
    with pytest.raises(UndecodableMessage) as error:
        CODEC.decode(garbage)
    assert error.value.payload == garbage


def test_private_fields_never_reach_the_bus():
    event = BusEvent.from_domain(sample_event("Invited"), notification_id=1)
    assert "token_hash" not in event.data
    assert set(event.data) == {"expires_at", "email"}


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_the_relays_fast_path_encodes_every_event_type_to_the_same_bytes(event_type):
    from eventsourcing.persistence import Notification

    from lucy_events.application import LucyApplication
    from lucy_events.blobs import InMemoryBlobStore
    from lucy_events.bus.stored_records import stored_record

    app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"}, blobs=InMemoryBlobStore())
    domain_event = sample_event(event_type)
    stored = app.mapper.to_stored_event(domain_event)
    notification = Notification(id=41, originator_id=stored.originator_id,
                                originator_version=stored.originator_version,
                                topic=stored.topic, state=stored.state)
    fast_type, key, record = stored_record(notification, app.mapper)
    slow = BusEvent.from_domain(domain_event, notification_id=41)
    assert (fast_type, key) == (slow.type, slow.key)
    assert CODEC.encode_record(fast_type, record) == CODEC.encode(slow)


def _named_types(schema, where):
    """Every record, enum and field of a schema, with where it is, for the doc checks."""
    if isinstance(schema, list):
        for member in schema:
            yield from _named_types(member, where)
    elif isinstance(schema, dict):
        if schema.get("type") in ("record", "enum"):
            yield f"{where}:{schema['name']}", schema
        for field in schema.get("fields", []):
            yield f"{where}:{schema['name']}.{field['name']}", field
            yield from _named_types(field["type"], f"{where}:{schema['name']}.{field['name']}")
        for key in ("items", "values"):
            yield from _named_types(schema.get(key), where)


def test_every_record_field_and_enum_in_the_schemas_has_a_doc_and_enums_a_default():
    files = sorted(schemas_dir().glob("*.avsc"))
    seen = 0
    for path in files:
        for where, node in _named_types(json.loads(path.read_text()), path.name):
            seen += 1
            assert str(node.get("doc", "")).strip(), f"{where} has no doc"
            if node.get("type") == "enum":  # forward compatible: old readers map new symbols
                assert node.get("default") in node["symbols"], f"{where} needs a default symbol"
    assert len(files) >= 32 and seen > 4 * len(files)


@pytest.mark.parametrize(("field", "values"), [
    ("channel", "CHANNELS"), ("document_type", "DOCUMENT_TYPES"), ("role", "Role"),
    ("plan", "PLANS"), ("kind", "IntegrationKind"),
])
def test_the_doc_of_each_open_value_set_names_every_value_the_domain_allows(field, values):
    from lucy_events.aggregates import actors, client_rules, document_rules, packages

    allowed = {"CHANNELS": document_rules.CHANNELS, "DOCUMENT_TYPES": document_rules.DOCUMENT_TYPES,
               "Role": [r.value for r in actors.Role], "PLANS": client_rules.PLANS,
               "IntegrationKind": [k.value for k in packages.IntegrationKind]}[values]
    docs = [f["doc"] for s in SchemaRegistryFile().schemas for f in s.schema["fields"]
            if f["name"] == field]
    assert docs
    for doc in docs:
        for value in allowed:
            assert value in doc, f"{field}: {value!r} is missing from {doc!r}"
        assert "not an enum" in doc  # and why: docs/integrators.md, "Value sets"


def _without_docs(schema):
    if isinstance(schema, list):
        return [_without_docs(member) for member in schema]
    if isinstance(schema, dict):
        return {key: _without_docs(value) for key, value in schema.items() if key != "doc"}
    return schema


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_a_message_written_before_the_docs_were_added_decodes_the_same(event_type):
    latest = SchemaRegistryFile().latest()[event_type]
    event = BusEvent.from_domain(sample_event(event_type), notification_id=3)
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(_without_docs(latest.schema)),
                               event.to_record())
    old_value = struct.pack(">bI", 0, latest.id) + body.getvalue()
    assert old_value == CODEC.encode(event)
    assert CODEC.decode(old_value) == event
