"""The log source's fast path: BusEvents straight from the stored JSON, equal to what the
mapper and ``BusEvent.from_domain`` give, and the mapper wherever only it can read."""

from __future__ import annotations

import typing
from typing import Any

import orjson
import pytest
from eventsourcing.persistence import Mapper, Notification

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.catalogue import EVENT_CLASSES
from lucy_events.bus.records import BusEvent
from lucy_events.bus.schema_derivation import payload_fields
from lucy_events.bus.stored_records import stored_bus_event
from tests.samples import sample_event


class CountingMapper:
    """The application's mapper, counting how often it builds a domain event."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper, self.cipher, self.compressor = mapper, mapper.cipher, mapper.compressor
        self.decoded = 0

    def to_domain_event(self, stored: Any) -> Any:
        self.decoded += 1
        return self.mapper.to_domain_event(stored)


def new_app(**env: str) -> LucyApplication:
    return LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo", **env},
                           blobs=InMemoryBlobStore())


def stored(app: LucyApplication, domain_event: Any, **state_changes: Any) -> Notification:
    """The event as the log holds it; ``state_changes`` edit the stored JSON (None drops)."""
    event = app.mapper.to_stored_event(domain_event)
    state = event.state
    if state_changes:
        fields = orjson.loads(state)
        for name, value in state_changes.items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
        state = orjson.dumps(fields)
    return Notification(id=41, originator_id=event.originator_id,
                        originator_version=event.originator_version, topic=event.topic,
                        state=state)


def strictly(event: BusEvent) -> dict[str, str]:
    """Every value with its type (and a datetime's time zone): equal values of another
    type, say a uuid string for a UUID, do not pass for the same."""
    values = {**{k: v for k, v in vars(event).items() if k != "data"}, **event.data}
    return {name: f"{type(value).__name__} {value!r}" for name, value in values.items()}


def assert_same_event(app: LucyApplication, notification: Notification) -> CountingMapper:
    mapper = CountingMapper(app.mapper)
    fast = stored_bus_event(notification, mapper)  # type: ignore[arg-type]
    slow = BusEvent.from_domain(app.mapper.to_domain_event(notification), notification.id)
    assert fast == slow
    assert strictly(fast) == strictly(slow)
    return mapper


@pytest.mark.parametrize("event_type", sorted(EVENT_CLASSES))
def test_every_event_type_reads_the_same_without_the_mapper(event_type):
    app = new_app()
    mapper = assert_same_event(app, stored(app, sample_event(event_type)))
    assert mapper.decoded == 0


def _optional_fields(event_type: str) -> list[str]:
    return [name for name, hint in payload_fields(EVENT_CLASSES[event_type])
            if type(None) in typing.get_args(hint)]


@pytest.mark.parametrize("event_type", [t for t in sorted(EVENT_CLASSES) if _optional_fields(t)])
def test_empty_optional_fields_read_the_same_without_the_mapper(event_type):
    app = new_app()
    domain_event = sample_event(event_type)
    for name in _optional_fields(event_type):
        vars(domain_event)[name] = None
    mapper = assert_same_event(app, stored(app, domain_event))
    assert mapper.decoded == 0


def test_a_peppol_enabled_stored_before_send_and_receive_existed_is_upcast_by_the_mapper():
    app = new_app()
    old = stored(app, sample_event("PeppolEnabled"), send=None, receive=None,
                 class_version=None)
    assert b"send" not in old.state and b"class_version" not in old.state
    mapper = assert_same_event(app, old)
    assert mapper.decoded == 1
    assert stored_bus_event(old, app.mapper).data == {"send": True, "receive": True,
                                                      "confirmation": ""}


def test_a_compressed_store_is_read_through_the_mapper():
    app = new_app(COMPRESSOR_TOPIC="eventsourcing.compressor:ZlibCompressor")
    mapper = assert_same_event(app, stored(app, sample_event("DocumentReceived")))
    assert mapper.decoded == 1


def test_a_state_that_is_not_json_raises_as_the_mapper_would():
    app = new_app()
    notification = stored(app, sample_event("DocumentSent"))
    broken = Notification(id=42, originator_id=notification.originator_id,
                          originator_version=1, topic=notification.topic, state=b"{not json")
    with pytest.raises(ValueError):
        stored_bus_event(broken, app.mapper)


def test_a_peppol_enabled_stored_before_the_confirmation_existed_reads_it_empty():
    app = new_app()
    old = stored(app, sample_event("PeppolEnabled"), confirmation=None, class_version=2,
                 receive=True, send=False)
    assert b"confirmation" not in old.state
    mapper = assert_same_event(app, old)
    assert mapper.decoded == 1
    assert stored_bus_event(old, app.mapper).data == {"send": False, "receive": True,
                                                      "confirmation": ""}
