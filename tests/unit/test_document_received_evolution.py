"""DocumentReceived v2 (the mail's subject and Message-ID): events written before it
still decode, from the bus (Avro v1 schema) and from the store (class version 1)."""

from __future__ import annotations

import io
import struct

import fastavro

from lucy_events.bus.avro import AvroCodec, SchemaRegistryFile
from lucy_events.bus.records import BusEvent
from lucy_events.bus.stored_records import stored_bus_event
from tests.samples import sample_event
from tests.unit.test_stored_events_fast_path import new_app, stored


def test_a_document_received_written_with_the_v1_schema_decodes_with_the_v2_reader():
    v1 = next(s for s in SchemaRegistryFile().schemas
              if s.event_type == "DocumentReceived" and s.version == 1)
    event = BusEvent.from_domain(sample_event("DocumentReceived"), notification_id=9)
    record = event.to_record()
    old_record = {k: v for k, v in record.items() if k not in ("subject", "message_id")}
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(v1.schema), old_record)
    decoded = AvroCodec().decode(struct.pack(">bI", 0, v1.id) + body.getvalue())
    assert decoded.data["subject"] is None and decoded.data["message_id"] is None
    assert decoded.data["file_name"] == event.data["file_name"]
    assert decoded.event_id == event.event_id


def test_a_document_received_stored_before_subject_and_message_id_is_upcast():
    app = new_app()
    old = stored(app, sample_event("DocumentReceived"), subject=None, message_id=None,
                 class_version=None)
    assert b"message_id" not in old.state and b"class_version" not in old.state
    event = stored_bus_event(old, app.mapper)
    assert event.data["subject"] is None and event.data["message_id"] is None
    assert event.data["channel"] == "sample channel"


def test_the_v2_schema_carries_the_subject_and_message_id_with_null_defaults():
    latest = SchemaRegistryFile().latest()["DocumentReceived"]
    fields = {f["name"]: f for f in latest.schema["fields"]}
    assert latest.id == 1230 and latest.version == 2
    assert fields["subject"]["default"] is None and fields["message_id"]["default"] is None
