"""A replay's views of stored events read as the BusEvents of the same events do: every
field a fold reads, the ids and the time as the text the read models hold; and no view
(the live way) for whatever only the mapper can read."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import Notification

from lucy_events.bus.catalogue import EVENT_CLASSES
from lucy_events.bus.records import BusEvent
from lucy_events.bus.stored_records import stored_bus_event
from lucy_events.bus.stored_views import StoredView, notification_of, stored_row, stored_views
from lucy_events.projections.values import ident, moment
from tests.samples import sample_event
from tests.unit.test_stored_events_fast_path import new_app, stored

#: What a view holds as the BusEvent holds it, and the ids it holds as text.
SAME = ("type", "event_id", "notification_id", "actor", "aggregate_version", "data")
AS_TEXT = ("aggregate_id", "firm_id", "client_id")


def typed(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def assert_reads_as(view: StoredView, event: BusEvent) -> None:
    for name in SAME:
        assert typed(getattr(view, name)) == typed(getattr(event, name)), name
    assert {k: typed(v) for k, v in view.data.items()} == {
        k: typed(v) for k, v in event.data.items()}
    assert isinstance(view.occurred_at, str)
    assert moment(view.occurred_at) == moment(event.occurred_at)
    for name in AS_TEXT:
        value = getattr(event, name)
        assert getattr(view, name) == (None if value is None else ident(value)), name


def view_of(app: Any, notification: Notification) -> StoredView | None:
    views = stored_views([stored_row(notification)], app.mapper)
    return None if views is None else views[0]


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_the_view_of_every_event_type_reads_as_its_bus_event(event_type):
    app = new_app()
    notification = stored(app, sample_event(event_type))
    view = view_of(app, notification)
    assert view is not None
    assert_reads_as(view, stored_bus_event(notification, app.mapper))


@pytest.mark.parametrize("event_type", ["DocumentReceived", "ClientCreated", "Invited"])
def test_a_view_read_before_its_payload_reads_the_same_after(event_type):
    app = new_app()
    notification = stored(app, sample_event(event_type))
    view = view_of(app, notification)
    assert view is not None
    first = (view.event_id, view.occurred_at, dict(view.data))
    assert (view.event_id, view.occurred_at, view.data) == first


def test_an_event_stored_before_its_class_changed_has_no_view_and_nor_has_its_batch():
    app = new_app()
    old = stored(app, sample_event("PeppolEnabled"), send=None, receive=None,
                 class_version=None)
    current = stored(app, sample_event("DocumentSent"))
    assert stored_views([stored_row(current), stored_row(old)], app.mapper) is None
    assert stored_views([stored_row(current)], app.mapper) is not None


def test_a_compressed_store_has_no_views():
    app = new_app(COMPRESSOR_TOPIC="eventsourcing.compressor:ZlibCompressor")
    assert view_of(app, stored(app, sample_event("DocumentReceived"))) is None


def test_a_state_that_is_not_json_has_no_view():
    app = new_app()
    good = stored(app, sample_event("DocumentSent"))
    broken = Notification(id=42, originator_id=good.originator_id, originator_version=1,
                          topic=good.topic, state=b"{not json")
    assert view_of(app, broken) is None


def test_a_row_turns_back_into_its_notification():
    app = new_app()
    notification = stored(app, sample_event("DocumentSent"))
    assert notification_of(stored_row(notification)) == notification
