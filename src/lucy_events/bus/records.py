"""BusEvent: one event as every consumer sees it, whichever source delivered it.

The relay builds it from a stored domain event and Avro-encodes it; the Kafka source
decodes it back; the embedded log source builds it straight from the domain event.
Handlers (projections, routers) only ever see BusEvents.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Protocol
from uuid import UUID, SafeUUID

from lucy_events.bus.catalogue import ENVELOPE_FIELDS, PRIVATE_FIELDS, TOPIC_OF

K = typing.TypeVar("K")
V = typing.TypeVar("V")


class Remembered(dict[K, V]):
    """Values made once each and looked up after (``memo[key]`` is ``make(key)``): ids
    parsed or spelled out, which come back event after event. Past ``limit`` entries it
    forgets them all at once, so a long-running consumer's memory stays bounded."""

    def __init__(self, make: Callable[[K], V], limit: int = 100_000) -> None:
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key: K) -> V:  # ``keep`` inlined: every new id comes here
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value

    def keep(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key`` (made by the caller, the cheaper way it has)."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


class FoldedEvent(Protocol):
    """What a read model's fold reads of an event: a BusEvent, or a replay's
    ``stored_views.StoredView`` (the same values, its ids and time as the text the rows
    hold: ``projections.values`` reads either)."""

    @property
    def type(self) -> str: ...
    @property
    def event_id(self) -> str: ...
    @property
    def notification_id(self) -> int: ...
    @property
    def occurred_at(self) -> datetime | str: ...
    @property
    def firm_id(self) -> UUID | str: ...
    @property
    def client_id(self) -> UUID | str | None: ...
    @property
    def actor(self) -> str: ...
    @property
    def aggregate_id(self) -> UUID | str: ...
    @property
    def aggregate_version(self) -> int: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class BusEvent:
    type: str
    event_id: str
    notification_id: int
    occurred_at: datetime
    firm_id: UUID
    client_id: UUID | None
    actor: str
    aggregate_id: UUID
    aggregate_version: int
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        return TOPIC_OF[self.type]

    @property
    def key(self) -> bytes:
        """The partitioning key: the client, or the firm for firm-wide events."""
        return str(self.client_id or self.firm_id).encode()

    @classmethod
    def from_domain(cls, event: Any, notification_id: int) -> BusEvent:
        state = vars(event)
        event_type = type(event).__name__
        client_id = state.get("client_id")
        if client_id is None and TOPIC_OF[event_type].startswith("lucy.client-"):
            client_id = event.originator_id
        return cls(
            type=event_type,
            event_id=f"{event.originator_id}:{event.originator_version}",
            notification_id=notification_id,
            occurred_at=event.timestamp,
            firm_id=state["firm_id"],
            client_id=client_id,
            actor=state["actor"],
            aggregate_id=event.originator_id,
            aggregate_version=event.originator_version,
            data={k: v for k, v in state.items()
                  if k not in ENVELOPE_FIELDS and k not in PRIVATE_FIELDS},
        )

    def to_record(self) -> dict[str, Any]:
        """The Avro record: the shared envelope plus the event's own fields."""
        return {
            "envelope": {
                "event_id": self.event_id, "notification_id": self.notification_id,
                "occurred_at": self.occurred_at, "firm_id": self.firm_id,
                "client_id": self.client_id, "actor": self.actor, "type": self.type,
                "aggregate_id": self.aggregate_id, "aggregate_version": self.aggregate_version,
            },
            **self.data,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> BusEvent:
        envelope = record["envelope"]
        return cls(
            type=envelope["type"], event_id=envelope["event_id"],
            notification_id=envelope["notification_id"], occurred_at=envelope["occurred_at"],
            firm_id=envelope["firm_id"], client_id=envelope["client_id"],
            actor=envelope["actor"], aggregate_id=envelope["aggregate_id"],
            aggregate_version=envelope["aggregate_version"],
            data={k: v for k, v in record.items() if k != "envelope"},
        )


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_new = object.__new__
_set = object.__setattr__
_UNKNOWN_SAFETY = SafeUUID.unknown


def parsed_uuid(text: str) -> UUID:
    """``UUID(text)`` in half its time for the usual spelling (32 hex digits, dashes
    anywhere), the very same value: ``UUID()`` takes the dashes out, checks that 32
    characters are left and reads them with ``int(..., 16)``, as this does; what it does
    besides (taking out ``urn:uuid:`` and braces) leaves characters that ``int`` refuses,
    and those texts, like any other ``int`` refuses, go to ``UUID()`` itself, which
    parses or raises as it always did. Its ``__init__`` sets ``int`` and ``is_safe``
    through ``object.__setattr__``, as this does."""
    digits = text.replace("-", "")
    if len(digits) == 32:
        try:
            number = int(digits, 16)
        except ValueError:
            return UUID(text)
        found = _new(UUID)
        _set(found, "int", number)
        _set(found, "is_safe", _UNKNOWN_SAFETY)
        return found
    return UUID(text)


#: Ids read from the wire or the store, parsed once: the same firm and client ids come
#: back in event after event, and UUID() of a string cost a third of decoding an event
#: (bench/consume.py). UUIDs are immutable, so sharing them is safe.
_UUIDS: Remembered[str, UUID] = Remembered(parsed_uuid)
#: ``UUID(text)`` (with or without dashes), remembered.
uuid_of = _UUIDS.__getitem__


def moment_of(micros: int) -> datetime:
    """The UTC time ``micros`` microseconds after the epoch. Through a float, twice as
    quick as adding a timedelta, and exact until the year 2106: the quotient is then
    within half a microsecond of the true value, and ``fromtimestamp`` rounds to the
    nearest microsecond."""
    return datetime.fromtimestamp(micros / 1_000_000, UTC)


#: Ids as text, computed once each: ``str(UUID)`` is Python code costing a microsecond,
#: and the same firm, client and document ids are turned into text event after event
#: (event ids, read-model keys and columns). Keyed by the id's number: a UUID's own
#: ``__hash__`` and ``__eq__`` are Python code too.
_TEXTS: Remembered[int, str] = Remembered(lambda number: str(UUID(int=number)))


def id_text(value: UUID) -> str:
    """``str(value)``, remembered."""
    number = value.int
    return _TEXTS.get(number) or _TEXTS.keep(number, str(value))


_FROM_PRIMITIVE: dict[Any, Any] = {
    UUID: uuid_of,
    datetime: moment_of,
    date: lambda days: date.fromordinal(_EPOCH_ORDINAL + days),
}


@lru_cache(maxsize=256)
def _payload_converters(event_type: str) -> tuple[tuple[str, Any], ...]:
    from lucy_events.bus.catalogue import EVENT_CLASSES
    from lucy_events.bus.schema_derivation import payload_fields

    found = []
    for name, hint in payload_fields(EVENT_CLASSES[event_type]):
        args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        if args[0] in _FROM_PRIMITIVE:
            found.append((name, _FROM_PRIMITIVE[args[0]]))
    return tuple(found)


def from_primitives(record: dict[str, Any]) -> BusEvent:
    """A BusEvent from an Avro record read without logical types (strings for uuids,
    microseconds, days): only the fields that need it are converted."""
    envelope = record.pop("envelope")
    event_type = envelope["type"]
    for name, convert in _payload_converters(event_type):
        value = record.get(name)
        if value is not None:
            record[name] = convert(value)
    # Ids looked up in the remembered ones first: uuid_of's call costs more than that.
    # The aggregate's is parsed, not remembered: a document's id comes back in a few
    # events at most, and parsing it costs what finding it among thousands of
    # remembered ones costs, while remembering every one cost 0.7-0.9 µs an event more
    # (docs/benchmarks.md, Consumer runtime, session 10).
    firm_id, client_id = envelope["firm_id"], envelope["client_id"]
    # Filled in as stored_records fills them from the log: the frozen dataclass's
    # __init__ (a setattr a field) cost as much as the rest of this function.
    event = _new(BusEvent)
    _set(event, "__dict__", {
        "type": event_type, "event_id": envelope["event_id"],
        "notification_id": envelope["notification_id"],
        "occurred_at": moment_of(envelope["occurred_at"]),
        "firm_id": _UUIDS.get(firm_id) or uuid_of(firm_id),
        "client_id": None if client_id is None else (
            _UUIDS.get(client_id) or uuid_of(client_id)),
        "actor": envelope["actor"],
        "aggregate_id": parsed_uuid(envelope["aggregate_id"]),
        "aggregate_version": envelope["aggregate_version"], "data": record,
    })
    return event
