"""The Kafka source reads each message's event type from its header, before decoding."""

from __future__ import annotations

from lucy_events.bus import kafka_source
from lucy_events.bus.kafka_source import _event_type


def test_the_event_type_is_read_from_its_header_wherever_the_header_is():
    assert _event_type([("event-type", b"DocumentReceived"), ("event-id", b"a:1")]) == (
        "DocumentReceived")
    assert _event_type([("event-id", b"a:1"), ("event-type", b"SendRequested")]) == (
        "SendRequested")
    assert _event_type([("event-type", "Döcument".encode())]) == "Döcument"


def test_a_message_without_an_event_type_has_none():
    assert _event_type(None) is None
    assert _event_type([]) is None
    assert _event_type([("event-id", b"a:1")]) is None
    assert _event_type([("event-type", b"")]) is None
    assert _event_type([("event-type", None)]) is None


def test_made_up_event_types_are_read_right_without_remembering_more_than_the_bound():
    names = [f"Made{n}Up" for n in range(kafka_source._MAX_TYPE_NAMES + 500)]
    for name in names + names:
        assert _event_type([("event-type", name.encode())]) == name
    assert len(kafka_source._TYPE_NAMES) <= kafka_source._MAX_TYPE_NAMES
