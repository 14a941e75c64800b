"""The quick event readers make the very event that fastavro's record and
``from_primitives`` make, and leave every other value to them."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from lucy_events.bus.avro import _HEADER, _without_logical_types
from lucy_events.bus.event_reader import quick_event_reader
from lucy_events.bus.records import from_primitives
from tests.avro_support import random_value
from tests.unit.test_avro_reader import (
    CODEC,
    FASTAVRO_ONLY,
    LATEST,
    encoded,
    fastavro_read,
    odd_values,
)

EVENT_READERS = {t: CODEC._decoding[s.id][3] for t, s in LATEST.items()}


def made(read, value: bytes) -> str:
    """The event as text with the types of its fields and of its payload's, keys in order;
    or the error's type and message."""
    try:
        event = read(value)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return repr((type(event), [(k, type(v), v) for k, v in vars(event).items()],
                 [(k, type(v)) for k, v in event.data.items()]))


def old_path(value: bytes) -> Any:
    return from_primitives(fastavro_read(value))


def readable(event_type: str, **envelope: Any) -> bytes:
    """A value of the type with those envelope fields that its quick reader reads (a
    random long is often beyond what it reads itself)."""
    rng = random.Random(event_type)
    while True:
        record = random_value(rng, LATEST[event_type].schema)
        record["envelope"].update(envelope)
        value = encoded(event_type, record)
        try:
            CODEC.quick_readers[LATEST[event_type].id](value)
        except Exception:
            continue
        return value


def test_every_type_with_a_quick_reader_has_a_quick_event_reader():
    assert {t for t, s in LATEST.items() if EVENT_READERS[t] is not None} == {
        t for t, s in LATEST.items() if s.id in CODEC.quick_readers}
    assert len(CODEC.quick_readers) > 50


@pytest.mark.parametrize("event_type", sorted(t for t in LATEST if EVENT_READERS[t] is not None))
def test_a_quick_event_reader_makes_the_event_from_primitives_makes(event_type):
    rng = random.Random(f"event {event_type}")
    read, read_itself = EVENT_READERS[event_type], 0
    for _ in range(300):
        record = random_value(rng, LATEST[event_type].schema)
        if rng.random() < 0.9:  # the others name a random type: left to from_primitives
            record["envelope"]["type"] = event_type
        value = encoded(event_type, record)
        expected = made(old_path, value)
        try:
            event = read(value)
        except Exception:  # left to fastavro and from_primitives, as the codec does
            assert made(CODEC.decode, value) == made(FASTAVRO_ONLY.decode, value)
            continue
        read_itself += 1
        assert made(read, value) == expected
        assert event == old_path(value)
    assert read_itself > 50


@pytest.mark.parametrize("event_type", ["DocumentReceived", "SendRequested", "DocumentSent"])
def test_odd_values_decode_as_with_fastavro_and_from_primitives(event_type):
    rng = random.Random(f"odd events {event_type}")
    for value in odd_values(rng, event_type):
        assert made(CODEC.decode, value) == made(FASTAVRO_ONLY.decode, value)


def test_an_envelope_naming_another_type_is_converted_as_that_type():
    # SendRequested's schema, its envelope naming DocumentSent: from_primitives converts
    # by the envelope's type, so the quick event reader leaves the value to it.
    value = readable("SendRequested", envelope_type="DocumentSent")
    with pytest.raises(Exception, match="another event type"):
        EVENT_READERS["SendRequested"](value)
    assert made(CODEC.decode, value) == made(FASTAVRO_ONLY.decode, value)


def test_an_id_that_is_not_a_uuid_is_undecodable_with_the_same_reason():
    value = readable("DocumentReceived", aggregate_id="not-a-uuid")
    assert made(CODEC.decode, value) == made(FASTAVRO_ONLY.decode, value)
    assert made(CODEC.decode, value).startswith("UndecodableMessage: schema")


def test_a_schema_whose_envelope_lacks_a_field_has_no_quick_event_reader():
    schema = _without_logical_types(LATEST["DocumentReceived"].schema)
    schema["fields"][0]["type"]["fields"] = [
        f for f in schema["fields"][0]["type"]["fields"] if f["name"] != "actor"]
    assert quick_event_reader(schema, _HEADER.size, "DocumentReceived") is None


def test_the_firm_and_client_ids_are_remembered_and_the_aggregates_is_not():
    from lucy_events.bus import records

    aggregate_id = uuid.uuid4()
    value = readable("DocumentReceived", type="DocumentReceived",
                     client_id=str(uuid.uuid4()), aggregate_id=str(aggregate_id))
    for decode in (EVENT_READERS["DocumentReceived"], FASTAVRO_ONLY.decode):
        records._UUIDS.clear()
        event = decode(value)
        assert set(records._UUIDS) == {str(event.firm_id), str(event.client_id)}
        assert event.aggregate_id == aggregate_id
