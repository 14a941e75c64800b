"""The quick Avro readers read what fastavro reads, value for value, and leave to fastavro
every value they do not read themselves."""

from __future__ import annotations

import io
import random
from typing import Any

import fastavro
import pytest

from lucy_events.bus.avro import _HEADER, AvroCodec, UndecodableMessage, _without_logical_types
from lucy_events.bus.avro_reader import Unreadable, quick_reader
from tests.avro_support import random_value

CODEC = AvroCodec()
LATEST = CODEC.registry.latest()
QUICK = {t: CODEC.quick_readers.get(s.id) for t, s in LATEST.items()}
#: The same codec with no quick readers: fastavro reads every value.
FASTAVRO_ONLY = AvroCodec()
FASTAVRO_ONLY._decoding = {k: (*v[:3], None) for k, v in CODEC._decoding.items()}


def encoded(event_type: str, record: dict[str, Any]) -> bytes:
    return CODEC.encode_record(event_type, record)


def fastavro_read(value: bytes) -> Any:
    _, writer, reader, _ = CODEC._decoding[_HEADER.unpack_from(value)[1]]
    return fastavro.schemaless_reader(io.BytesIO(value[_HEADER.size:]), writer, reader)


def outcome(read, value: bytes) -> str:
    """What reading gives, compared as text: the values with their types and keys in
    order, or the error's type and message."""
    try:
        return repr(read(value))
    except Exception as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("event_type", sorted(t for t in LATEST if QUICK[t] is not None))
def test_a_quick_reader_reads_what_fastavro_reads(event_type):
    rng = random.Random(event_type)
    read, read_itself = QUICK[event_type], 0
    for _ in range(300):
        value = encoded(event_type, random_value(rng, LATEST[event_type].schema))
        try:
            record = read(value)
        except Unreadable:  # a long beyond 63 bits (a random one often is): fastavro's
            continue
        read_itself += 1
        assert repr(record) == repr(fastavro_read(value))
    assert read_itself > 50


def test_the_events_consumers_read_most_have_quick_readers():
    for event_type in ("DocumentReceived", "SendRequested", "DocumentSent"):
        assert QUICK[event_type] is not None


def test_schemas_with_arrays_maps_or_other_unions_have_none():
    assert QUICK["ClientCreated"] is None  # a map
    assert quick_reader({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["null", "string", "long"]}]}, 0) is None
    assert quick_reader({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": ["string", "null"]}]}, 0) is None
    assert quick_reader({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "bytes"}]}, 0) is None


def test_only_the_latest_schema_of_a_type_has_one():
    # An older writer schema is resolved into the latest by fastavro.
    older = [s for s in CODEC.registry.schemas if LATEST[s.event_type].id != s.id]
    assert older
    for registered in older:
        assert CODEC._decoding[registered.id][3] is None


def odd_values(rng: random.Random, event_type: str) -> list[bytes]:
    """Values of the type's schema cut short, with a byte changed, or with bytes put in:
    long varints, negative lengths, union and boolean bytes other than 0 and 1, text that
    is not UTF-8, bytes after the record."""
    odd = []
    for _ in range(200):
        value = encoded(event_type, random_value(rng, LATEST[event_type].schema))
        at = rng.randrange(_HEADER.size, len(value))
        odd.append(value[:at])
        odd.append(value[:at] + bytes([rng.randrange(256)]) + value[at + 1:])
        odd.append(value[:at] + rng.choice([
            b"\xff" * 9 + b"\x01", b"\xff" * 8 + b"\x7f", b"\x80" * 9 + b"\x00", b"\x01",
            b"\x03", b"\x04", b"\x7f", b"\x02\xff", b"\x04\xc3\x28", b"\x02\xed\xa0\x80",
        ]) + value[at:])
        odd.append(value + b"\x00trailing")
    return odd


@pytest.mark.parametrize("event_type", ["DocumentReceived", "SendRequested", "DocumentSent"])
def test_a_value_a_quick_reader_reads_is_read_the_same_by_fastavro(event_type):
    rng = random.Random(f"odd {event_type}")
    read, read_itself = QUICK[event_type], 0
    for value in odd_values(rng, event_type):
        try:
            record = read(value)
        except Exception:
            continue  # fastavro reads it (next test)
        read_itself += 1
        assert repr(record) == outcome(fastavro_read, value)
    assert read_itself > 40  # not everything left to fastavro


@pytest.mark.parametrize("event_type", ["DocumentReceived", "SendRequested", "DocumentSent"])
def test_the_codec_decodes_odd_values_as_with_fastavro_alone(event_type):
    rng = random.Random(f"codec {event_type}")
    for value in odd_values(rng, event_type):
        assert outcome(CODEC.decode, value) == outcome(FASTAVRO_ONLY.decode, value)


def test_an_undecodable_value_keeps_its_bytes_and_fastavros_reason():
    value = encoded("DocumentReceived", random_value(
        random.Random(1), LATEST["DocumentReceived"].schema))[:20]
    with pytest.raises(UndecodableMessage) as raised:
        CODEC.decode(value)
    assert raised.value.payload == value
    assert str(raised.value) == outcome(FASTAVRO_ONLY.decode, value).split(": ", 1)[1]


def test_longs_up_to_nine_bytes_are_read_and_longer_ones_left_to_fastavro():
    read = quick_reader(_without_logical_types({"type": "record", "name": "R", "fields": [
        {"name": "n", "type": "long"}, {"name": "b", "type": "boolean"}]}), 0)
    assert read is not None
    for n in [0, -1, 1, 63, -64, 64, 2**31, -(2**31) - 1, 2**62 - 1, -(2**62)]:
        zigzag = (n << 1) ^ (n >> 63)
        varint = bytearray()
        while zigzag > 127:
            varint.append(zigzag & 0x7F | 0x80)
            zigzag >>= 7
        varint.append(zigzag)
        assert read(bytes(varint) + b"\x01") == {"n": n, "b": True}
    with pytest.raises(Unreadable):
        read(b"\xff" * 9 + b"\x01\x01")  # ten bytes: fastavro's to read
