"""Personal fields sealed with their person's key: every event type reads the same on the
fast paths (relay records, bus events) as on the mapper's; once the key is gone each
personal value reads "erased person" and nothing else changes."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import Notification

from lucy_events.aggregates import event_classes
from lucy_events.application import LucyApplication
from lucy_events.audit.person_keys import PersonKeys, person_id
from lucy_events.audit.sealing import ERASED
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import _AGGREGATES, EVENT_CLASSES, PERSONAL_FIELDS
from lucy_events.bus.records import BusEvent
from lucy_events.bus.stored_records import stored_bus_event, stored_record
from lucy_events.sqldb import SQLiteDatabase
from tests.samples import sample_event

CODEC = AvroCodec()
#: Field names that hold a person's data wherever they appear...
_PERSONAL_LOOKING = re.compile(r"(email|phone|sender|contact_person|first_name|last_name)")
#: ...and the fields called ``name`` that name a company, a team, a service, not a person.
_NOT_A_PERSON = {("FirmRegistered", "name"), ("ClientCreated", "name"),
                 ("TeamCreated", "name"), ("TeamRenamed", "name"), ("ServiceDefined", "name")}


def sealing_app() -> LucyApplication:
    keys = PersonKeys(SQLiteDatabase(":memory:"))
    return LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                           blobs=InMemoryBlobStore(), person_keys=keys)


def as_stored(app: LucyApplication, domain_event: Any) -> Notification:
    event = app.mapper.to_stored_event(domain_event)
    return Notification(id=41, originator_id=event.originator_id,
                        originator_version=event.originator_version, topic=event.topic,
                        state=event.state)


def sealed_values(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("_type_") == "sealed":
            return [value]
        return [s for v in value.values() for s in sealed_values(v)]
    if isinstance(value, list):
        return [s for v in value for s in sealed_values(v)]
    return []


def texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return [value] if isinstance(value, str) and value else []


def test_every_event_field_that_looks_personal_is_a_personal_field():
    for aggregate in _AGGREGATES:
        for cls in event_classes(aggregate):
            for name in getattr(cls, "__annotations__", {}):
                listed = name in PERSONAL_FIELDS.get(cls.__name__, {})
                if _PERSONAL_LOOKING.search(name) or (
                        name == "name" and (cls.__name__, name) not in _NOT_A_PERSON):
                    assert listed, f"{cls.__name__}.{name} is not in PERSONAL_FIELDS"


def test_every_personal_field_and_identity_is_a_field_of_its_event():
    for event_type, fields in PERSONAL_FIELDS.items():
        declared = EVENT_CLASSES[event_type].__dataclass_fields__
        for name, whose in fields.items():
            assert name in declared, (event_type, name)
            assert not whose.identity or whose.identity.split(".")[0] in declared


@pytest.mark.parametrize("event_type", sorted(PERSONAL_FIELDS))
def test_a_personal_value_is_stored_sealed_and_every_path_reads_it_in_clear(event_type):
    app = sealing_app()
    domain_event = sample_event(event_type)
    notification = as_stored(app, domain_event)
    state = orjson.loads(notification.state)
    for name in PERSONAL_FIELDS[event_type]:
        value = state[name]
        assert texts(value) == [] or sealed_values(value), name
        assert not set(texts(getattr(domain_event, name))) & set(texts(value)), name
    # the relay's fast path gives the bytes of the domain event itself
    fast_type, _key, record = stored_record(notification, app.mapper)
    slow = BusEvent.from_domain(domain_event, notification_id=41)
    assert CODEC.encode_record(fast_type, record) == CODEC.encode(slow)
    # the log source's fast path and the mapper's slow path agree
    assert stored_bus_event(notification, app.mapper) == slow
    assert BusEvent.from_domain(app.mapper.to_domain_event(notification), 41) == slow


@pytest.mark.parametrize("event_type", sorted(PERSONAL_FIELDS))
def test_once_the_key_is_destroyed_each_personal_value_reads_erased_person(event_type):
    app = sealing_app()
    assert app.person_keys is not None
    domain_event = sample_event(event_type)
    notification = as_stored(app, domain_event)
    for sealed in sealed_values(orjson.loads(notification.state)):
        app.person_keys.destroy(UUID(hex=sealed["_data_"]["person"]))
    read = stored_bus_event(notification, app.mapper)
    slow = app.mapper.to_domain_event(notification)
    for name in PERSONAL_FIELDS[event_type]:
        assert set(texts(read.data[name])) == {ERASED}
        assert read.data[name] == getattr(slow, name)
    kept = BusEvent.from_domain(domain_event, 41).data
    assert {k: v for k, v in read.data.items() if k not in PERSONAL_FIELDS[event_type]} == {
        k: v for k, v in kept.items() if k not in PERSONAL_FIELDS[event_type]}
    fast_type, _key, record = stored_record(notification, app.mapper)
    assert CODEC.decode(CODEC.encode_record(fast_type, record)).data == read.data


def test_an_event_stored_in_clear_before_sealing_reads_the_same():
    plain = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                            blobs=InMemoryBlobStore())
    domain_event = sample_event("ClientCreated")
    notification = as_stored(plain, domain_event)
    assert b"sealed" not in notification.state
    app = sealing_app()
    assert stored_bus_event(notification, app.mapper) == BusEvent.from_domain(domain_event, 41)
    assert app.mapper.to_domain_event(notification).contact_person == (
        domain_event.contact_person)


def test_one_person_has_one_id_per_firm_whatever_the_case_or_display_name():
    firm = "4a8e4f41-3c9e-4a51-9c1a-0c9ad0f1c001"
    assert person_id(firm, "email", "Jan Peeters <Jan@X.example>") == person_id(
        firm, "email", "jan@x.example")
    assert person_id(firm, "email", "jan@x.example") != person_id(
        "4a8e4f41-3c9e-4a51-9c1a-0c9ad0f1c002", "email", "jan@x.example")
