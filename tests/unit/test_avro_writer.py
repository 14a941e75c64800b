"""The quick Avro writers write what fastavro writes, byte for byte, and leave to fastavro
every record they do not write themselves."""

from __future__ import annotations

import io
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import fastavro
import pytest

from lucy_events.bus.avro import _HEADER, MAGIC, AvroCodec
from lucy_events.bus.avro_writer import quick_writer

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


STRINGS = ["", "a", "x" * 63, "x" * 64, "é" * 40, "日本" * 100, "🙂", "line\nbreak"]
LONGS = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, 2**31 - 1, -(2**31),
         2**62, 2**63 - 1, -(2**63), 1_796_000_000_123_456]


def random_value(rng: random.Random, schema: Any) -> Any:
    if isinstance(schema, list):
        return None if rng.random() < 0.3 else random_value(rng, schema[1])
    if isinstance(schema, dict) and schema["type"] == "record":
        return {f["name"]: random_value(rng, f["type"]) for f in schema["fields"]}
    logical = schema.get("logicalType") if isinstance(schema, dict) else None
    kind = schema["type"] if isinstance(schema, dict) else schema
    as_object = rng.random() < 0.5
    if logical == "uuid":
        value = uuid.UUID(int=rng.getrandbits(128))
        return value if as_object else str(value)
    if logical == "timestamp-micros":
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=rng.randrange(-10**15, 10**15))
        return moment if as_object else rng.choice([*LONGS[:-3], rng.getrandbits(52)])
    if logical == "date":
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(-10**5, 10**5))
        return day if as_object else rng.randrange(-10**5, 10**5)
    if kind == "string":
        return rng.choice(STRINGS) if rng.random() < 0.5 else "".join(
            rng.choice("abcé😀 -:/") for _ in range(rng.randrange(0, 200)))
    if kind == "long":
        return rng.choice(LONGS) if rng.random() < 0.5 else rng.randrange(-2**63, 2**63)
    if kind == "int":
        return rng.randrange(-2**31, 2**31)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "double":
        return rng.choice([0.0, -1.5, 1e300, rng.random()])
    raise AssertionError(f"no random value for {schema!r}")


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
