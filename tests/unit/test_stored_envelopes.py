"""A replay's reader process hands stored events over as text (``stored_envelopes``); the
BusEvents made of them (``envelope_bus_events``) are those the log source decodes, for
every event type, and the mapper's path decodes (or refuses) the rest as before."""

from __future__ import annotations

import marshal

import pytest
from eventsourcing.persistence import Notification

from lucy_events.bus.catalogue import EVENT_CLASSES
from lucy_events.bus.stored_records import (
    StoredBusEvent,
    _kind,
    envelope_bus_events,
    stored_bus_event,
    stored_envelopes,
)
from tests.samples import sample_event
from tests.unit.test_stored_events_fast_path import new_app, stored, strictly


def handed_over(app, notifications):
    """The events as the parent makes them of what the child sent through the pipe."""
    sent = marshal.dumps(stored_envelopes(notifications, app.mapper))
    return envelope_bus_events(marshal.loads(sent), app.mapper)


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_every_event_type_handed_over_is_the_event_the_log_source_reads(event_type):
    app = new_app()
    notification = stored(app, sample_event(event_type))
    [event] = handed_over(app, [notification])
    expected = stored_bus_event(notification, app.mapper)
    assert event == expected and expected == event
    assert strictly(event) == strictly(expected)
    # Made here from the envelope, unless only the mapper can read it (a typed value
    # nested in a list or dict).
    assert isinstance(event, StoredBusEvent) == _kind(notification.topic).fast


def test_the_payload_is_decoded_when_first_read_and_then_kept():
    app = new_app()
    [event] = handed_over(app, [stored(app, sample_event("DocumentReceived"))])
    assert isinstance(event, StoredBusEvent) and "data" not in vars(event)
    data = event.data
    assert event.data is data and "_stored" not in vars(event)


def test_a_batch_names_each_id_once_and_keeps_the_events_in_order():
    app = new_app()
    received = sample_event("DocumentReceived")
    notifications = [stored(app, received), stored(app, sample_event("DocumentSent")),
                     stored(app, received)]
    envelopes = stored_envelopes(notifications, app.mapper)
    texts = envelopes[0]
    assert len(texts) == len(set(texts))
    events = handed_over(app, notifications)
    assert events == [stored_bus_event(n, app.mapper) for n in notifications]


def test_events_only_the_mapper_can_read_are_decoded_by_it_as_before():
    app = new_app()
    old = stored(app, sample_event("PeppolEnabled"), send=None, receive=None,
                 class_version=None)
    [event] = handed_over(app, [old])
    assert not isinstance(event, StoredBusEvent)
    assert event == stored_bus_event(old, app.mapper)
    compressed = new_app(COMPRESSOR_TOPIC="eventsourcing.compressor:ZlibCompressor")
    notification = stored(compressed, sample_event("DocumentReceived"))
    assert handed_over(compressed, [notification]) == [
        stored_bus_event(notification, compressed.mapper)]


def test_a_state_that_is_not_json_is_handed_back_as_the_error_the_log_source_parks():
    app = new_app()
    good = stored(app, sample_event("DocumentSent"))
    broken = Notification(id=42, originator_id=good.originator_id, originator_version=1,
                          topic=good.topic, state=b"{not json")
    first, second = handed_over(app, [broken, good])
    assert isinstance(first, ValueError)
    assert second == stored_bus_event(good, app.mapper)


def test_an_empty_batch_hands_over_no_events():
    app = new_app()
    assert handed_over(app, []) == []
