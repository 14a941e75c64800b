"""The relay's hot path: Avro-ready records straight from the store's JSON.

Rebuilding domain objects for every event only to turn them back into primitives costs
more than producing them; this reads the stored state with orjson and converts the
store's typed values (uuid_hex, datetime_iso, date_iso) to the primitives Avro's logical
types take (uuid strings, microseconds, days). An event stored with an older class
version takes the slow path, through the mapper and its upcasters. A contract test
proves both paths encode every event type to the same bytes.
"""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, Notification

from lucy_events.bus.catalogue import ENVELOPE_FIELDS, EVENT_CLASSES, PRIVATE_FIELDS, TOPIC_OF
from lucy_events.bus.records import BusEvent
from lucy_events.bus.schema_derivation import payload_fields

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAYS = date(1970, 1, 1).toordinal()
_SKIP = ENVELOPE_FIELDS | PRIVATE_FIELDS | {"class_version"}


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def _micros(iso: str) -> int:
    delta = datetime.fromisoformat(iso) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_TYPED = {
    "uuid_hex": _uuid,
    "datetime_iso": _micros,
    "date_iso": lambda iso: date.fromisoformat(iso).toordinal() - _EPOCH_DAYS,
}


_CONVERTERS = {UUID: _TYPED["uuid_hex"], datetime: _TYPED["datetime_iso"], date: _TYPED["date_iso"]}


def _converters(event_class: type[Any]) -> dict[str, Any]:
    """The payload fields whose stored form is a typed value, with their conversion;
    every other field (text, numbers, booleans, maps and lists of text) is stored as is."""
    found = {}
    for name, hint in payload_fields(event_class):
        args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        if args[0] in _CONVERTERS:
            found[name] = _CONVERTERS[args[0]]
    return found


@lru_cache(maxsize=256)
def _event_type(topic: str) -> tuple[str, int, dict[str, Any]]:
    event_type = topic.rsplit(".", 1)[1]
    event_class = EVENT_CLASSES[event_type]
    return event_type, getattr(event_class, "class_version", 1), _converters(event_class)


def stored_record(
    notification: Notification, mapper: Mapper[Any]
) -> tuple[str, bytes, dict[str, Any]]:
    """(event type, partition key, Avro record of primitives) for a stored event."""
    event_type, class_version, converters = _event_type(notification.topic)
    state = orjson.loads(notification.state)
    if state.get("class_version", 1) != class_version:  # needs an upcaster
        event = BusEvent.from_domain(mapper.to_domain_event(notification), notification.id)
        return event.type, event.key, event.to_record()
    aggregate_id = str(notification.originator_id)
    firm_id = _uuid(state["firm_id"]["_data_"])
    client = state.get("client_id")
    if client is not None:
        client_id: str | None = _uuid(client["_data_"])
    elif TOPIC_OF[event_type].startswith("lucy.client-"):
        client_id = aggregate_id
    else:
        client_id = None
    record = {k: v for k, v in state.items() if k not in _SKIP}
    for name, convert in converters.items():
        value = record[name]
        if value is not None:
            record[name] = convert(value["_data_"])
    record["envelope"] = {
        "event_id": f"{aggregate_id}:{notification.originator_version}",
        "notification_id": notification.id,
        "occurred_at": _micros(state["timestamp"]["_data_"]),
        "firm_id": firm_id, "client_id": client_id, "actor": state["actor"],
        "type": event_type, "aggregate_id": aggregate_id,
        "aggregate_version": notification.originator_version,
    }
    return event_type, (client_id or firm_id).encode(), record
