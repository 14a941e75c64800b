"""Hot paths from the store's JSON: Avro-ready records for the relay, BusEvents for the
in-process log source.

Rebuilding domain objects for every event only to take them apart again costs more
than the rest of the work; eventsourcing's JSON decoder alone capped a read-model
rebuild at about 31,000 events/s. These read the stored state with orjson and convert
only the fields the event class types as UUID, datetime or date (stored as the typed
values uuid_hex, datetime_iso, date_iso): to primitives for Avro's logical types (uuid
strings, microseconds, days), or to the Python objects the domain event would hold.

Personal fields sealed with their person's key (``audit/sealing.py``) are opened here
with the mapper's keys, as the transcoder opens them on the slow path.

Whatever only the mapper can read takes the slow path through it: an event stored with
an older class version (its upcasters bring it up to date), a state the mapper encrypts
or compresses, a topic that is not the class's own. Contract tests prove both paths give
the same bytes (relay) and equal BusEvents (log source) for every event type.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, Notification, StoredEvent
from eventsourcing.utils import get_topic

from lucy_events.audit.sealing import open_personal
from lucy_events.bus.catalogue import (
    ENVELOPE_FIELDS,
    EVENT_CLASSES,
    PERSONAL_FIELDS,
    PRIVATE_FIELDS,
    TOPIC_OF,
)
from lucy_events.bus.records import BusEvent, id_text, uuid_of
from lucy_events.bus.schema_derivation import payload_fields

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAYS = date(1970, 1, 1).toordinal()
#: What a stored state holds beside the event's own fields (``_payload`` takes them out).
_SKIP = tuple(ENVELOPE_FIELDS | PRIVATE_FIELDS | {"class_version"})


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def _micros(iso: str) -> int:
    delta = datetime.fromisoformat(iso) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _days(iso: str) -> int:
    return date.fromisoformat(iso).toordinal() - _EPOCH_DAYS


#: Stored typed value -> (Avro primitive, Python object), by the type the class declares.
_CONVERTERS: dict[Any, tuple[Any, Any]] = {
    UUID: (_uuid, uuid_of), datetime: (_micros, datetime.fromisoformat),
    date: (_days, date.fromisoformat),
}
Converters = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _Kind:
    """What the fast paths need to know about one stored topic."""

    event_type: str
    class_version: int
    client_scoped: bool
    to_primitives: Converters
    to_objects: Converters
    #: False when the mapper must decode it (a typed value nested in a list or dict).
    fast: bool
    #: The fields that may hold sealed personal values.
    personal: tuple[str, ...] = ()


def _typed(hint: Any) -> Any:
    """The typed value a field holds (UUID, datetime, date), None for plain JSON, or
    ``...`` when the hint nests typed values in a container or a wider union."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint, args = args[0], list(typing.get_args(args[0]))
    if hint in _CONVERTERS:
        return hint
    return ... if any(_typed(a) is not None for a in args) else None


@lru_cache(maxsize=256)
def _kind(topic: str) -> _Kind:
    event_type = topic.rsplit(".", 1)[1]
    event_class = EVENT_CLASSES[event_type]
    fast = get_topic(event_class) == topic  # else an old topic the mapper resolves
    primitives, objects = [], []
    for name, hint in payload_fields(event_class):
        typed = _typed(hint)
        if typed is ...:
            fast = False
        elif typed is not None:
            to_primitive, to_object = _CONVERTERS[typed]
            primitives.append((name, to_primitive))
            objects.append((name, to_object))
    return _Kind(event_type, getattr(event_class, "class_version", 1),
                 TOPIC_OF[event_type].startswith("lucy.client-"),
                 tuple(primitives), tuple(objects), fast,
                 tuple(PERSONAL_FIELDS.get(event_type, ())))


def _fast_state(notification: Notification, mapper: Mapper[Any], kind: _Kind,
                state: dict[str, Any] | None = None) -> Any:
    """The stored state as plain JSON (``state`` when the caller parsed it already), or
    None when only the mapper can read it."""
    if not kind.fast or mapper.cipher is not None or mapper.compressor is not None:
        return None
    if state is None:
        state = orjson.loads(notification.state)
    if state.get("class_version", 1) != kind.class_version:  # needs an upcaster
        return None
    return state


def _payload(state: dict[str, Any], converters: Converters, kind: _Kind,
             mapper: Mapper[Any], skip: tuple[str, ...] = _SKIP) -> dict[str, Any]:
    """The event's own fields, opened and converted: ``state`` itself (parsed for the
    caller, its to change), the envelope's and private fields taken out (``skip``: those
    the caller has not taken out already). Changed in place: a new dict without them cost
    twice as much (and another dict to free)."""
    pop = state.pop
    for name in skip:
        pop(name, None)
    if kind.personal:
        keys = getattr(mapper, "keys", None)
        for name in kind.personal:
            if name in state:
                state[name] = open_personal(keys, state[name])
    for name, convert in converters:
        value = state.get(name)
        if value is not None:
            state[name] = convert(value["_data_"])
    return state


def stored_record(
    notification: Notification, mapper: Mapper[Any]
) -> tuple[str, bytes, dict[str, Any]]:
    """(event type, partition key, Avro record of primitives) for a stored event."""
    kind = _kind(notification.topic)
    state = _fast_state(notification, mapper, kind)
    if state is None:
        event = BusEvent.from_domain(mapper.to_domain_event(notification), notification.id)
        return event.type, event.key, event.to_record()
    aggregate_id = str(notification.originator_id)
    firm_id = _uuid(state["firm_id"]["_data_"])
    client = state.get("client_id")
    if client is not None:
        client_id: str | None = _uuid(client["_data_"])
    else:
        client_id = aggregate_id if kind.client_scoped else None
    envelope = {
        "event_id": f"{aggregate_id}:{notification.originator_version}",
        "notification_id": notification.id,
        "occurred_at": _micros(state["timestamp"]["_data_"]),
        "firm_id": firm_id, "client_id": client_id, "actor": state["actor"],
        "type": kind.event_type, "aggregate_id": aggregate_id,
        "aggregate_version": notification.originator_version,
    }
    record = _payload(state, kind.to_primitives, kind, mapper)
    record["envelope"] = envelope
    return kind.event_type, (client_id or firm_id).encode(), record


def stored_bus_event(notification: Notification, mapper: Mapper[Any],
                     state: dict[str, Any] | None = None) -> BusEvent:
    """The BusEvent ``BusEvent.from_domain(mapper.to_domain_event(notification))`` gives,
    without building the domain event. ``state``: the stored JSON, when the caller parsed
    it already (``stored_state``), read-only here."""
    kind = _kind(notification.topic)
    given = state
    state = _fast_state(notification, mapper, kind, state)
    if state is None:
        return BusEvent.from_domain(mapper.to_domain_event(notification), notification.id)
    originator_id = notification.originator_id
    aggregate_id = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
    client = state.get("client_id")
    if client is not None:
        client_id: UUID | None = uuid_of(client["_data_"])
    else:
        client_id = aggregate_id if kind.client_scoped else None
    # Filled in as eventsourcing's mapper fills domain events: the frozen dataclass's
    # __init__ would cost as much as everything else here.
    event = _new(BusEvent)
    _set(event, "__dict__", {
        "type": kind.event_type,
        "event_id": f"{id_text(aggregate_id)}:{notification.originator_version}",
        "notification_id": notification.id,
        "occurred_at": datetime.fromisoformat(state["timestamp"]["_data_"]),
        "firm_id": uuid_of(state["firm_id"]["_data_"]),
        "client_id": client_id,
        "actor": state["actor"],
        "aggregate_id": aggregate_id,
        "aggregate_version": notification.originator_version,
        # Last: it takes the envelope's fields out of the state (of a copy, if given).
        "data": _payload(state if given is None else dict(state), kind.to_objects, kind,
                         mapper),
    })
    return event


def stored_state(stored: StoredEvent, mapper: Mapper[Any]) -> dict[str, Any] | None:
    """The stored JSON, parsed once for a caller that reads its moment first and then
    decodes it (``stored_bus_event(..., state)``); None when only the mapper can read it."""
    if mapper.cipher is not None or mapper.compressor is not None:
        return None
    try:
        state = orjson.loads(stored.state)
    except orjson.JSONDecodeError:
        return None
    return state if isinstance(state, dict) else None


def moment_of(state: dict[str, Any] | None) -> datetime | None:
    """When the event of a parsed stored state occurred; None when it does not say."""
    try:
        return datetime.fromisoformat(state["timestamp"]["_data_"])  # type: ignore[index]
    except (ValueError, KeyError, TypeError):
        return None


def stored_moment(stored: StoredEvent, mapper: Mapper[Any]) -> datetime | None:
    """When a stored event occurred, read from its state without decoding the rest (an
    as-of replay skips what came later); None when only the mapper can read it."""
    return moment_of(stored_state(stored, mapper))


_new = object.__new__
_set = object.__setattr__
