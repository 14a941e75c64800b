"""The quick Avro writers write what fastavro writes, byte for byte, and leave to fastavro
every record they do not write themselves."""

from __future__ import annotations

import io
import random
from typing import Any

import fastavro
import pytest

from lucy_events.bus.avro import _HEADER, MAGIC, AvroCodec
from lucy_events.bus.avro_writer import quick_writer
from tests.avro_support import random_value

CODEC = AvroCodec()
LATEST = CODEC.registry.latest()


def fastavro_bytes(event_type: str, record: dict[str, Any]) -> bytes:
    schema_id, parsed = CODEC._readers[event_type]
    buffer = io.BytesIO()
    buffer.write(_HEADER.pack(MAGIC, schema_id))
    fastavro.schemaless_writer(buffer, parsed, record)
    return buffer.getvalue()


def written(write, record) -> bytes | type:
    try:
        return write(record)
    except Exception as error:  # what fastavro (or the quick writer) refuses
        return type(error)


@pytest.mark.parametrize("event_type", sorted(
    t for t in LATEST if CODEC._quick_writers[t] is not None))
def test_a_quick_writer_writes_what_fastavro_writes(event_type):
    rng = random.Random(event_type)
    write = CODEC._quick_writers[event_type]
    for _ in range(300):
        record = random_value(rng, LATEST[event_type].schema)
        assert write(record) == fastavro_bytes(event_type, record)


def test_the_events_the_relay_publishes_most_have_quick_writers():
    for event_type in ("DocumentReceived", "SendRequested", "DocumentSent"):
        assert CODEC._quick_writers[event_type] is not None


def test_schemas_with_arrays_maps_or_other_unions_have_none():
    assert CODEC._quick_writers["ClientCreated"] is None  # a map
    assert quick_writer({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["null", "string", "long"]}]}, b"") is None
    assert quick_writer({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": {"type": "bytes", "logicalType": "decimal"}}]}, b"") is None


def odd_records(rng: random.Random) -> list[dict[str, Any]]:
    """DocumentReceived records with one field of a type, or value, the quick writer does
    not write itself: missing, None where it is not nullable, bytes, floats, booleans for
    longs, longs out of range, a tuple in a union."""
    base = random_value(rng, LATEST["DocumentReceived"].schema)
    odd: list[dict[str, Any]] = []
    for name in ["channel", "size", "sender", "envelope"]:
        for value in [None, b"bytes", 3.0, True, 2**63, -(2**63) - 1, ("string", "x"),
                      "12", 12, {"nested": 1}]:
            record = dict(base)
            record[name] = value
            odd.append(record)
        missing = dict(base)
        del missing[name]
        odd.append(missing)
    for name in ["notification_id", "aggregate_id", "occurred_at", "client_id"]:
        for value in [None, "not a uuid", 1.5, False, 2**64]:
            envelope = dict(base["envelope"])
            envelope[name] = value
            odd.append({**base, "envelope": envelope})
    return odd


def test_what_a_quick_writer_does_not_write_is_written_or_refused_by_fastavro():
    rng = random.Random(2026)
    for record in odd_records(rng):
        fast = written(lambda r: fastavro_bytes("DocumentReceived", r), record)
        assert written(lambda r: CODEC.encode_record("DocumentReceived", r), record) == fast
