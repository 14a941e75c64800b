"""How a stored event becomes a history entry: the one place that decides what an entry
says and what it leaves out. Pure: no I/O.

Private fields (``PRIVATE_FIELDS``: token hashes and the like) are removed here, once, at
any depth, so no presenter (CLI text or JSON, API, dashboard, exports) can show them. An
event whose type this version does not know (another module's, or a renamed one) is still
an entry: its type from its topic and its fields as stored, never a crash.

Events are read as the bus reads them (``BusEvent``, on ``stored_records``' fast path):
building every domain object would cost several times more for a long history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification, StoredEvent

from lucy_events.audit.sealing import open_sealed
from lucy_events.bus.catalogue import ENVELOPE_FIELDS, PRIVATE_FIELDS
from lucy_events.bus.records import BusEvent
from lucy_events.bus.stored_records import stored_bus_event

_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
_NIL = UUID(int=0)
#: The default changes and names of an entry built by hand: shared, so read-only.
_NOTHING: Mapping[str, Any] = MappingProxyType({})


class HistoryEntry(NamedTuple):
    """``actor``: ``staff:<id>``, ``client:<id>`` or ``system:<name>``; ``who`` says it in
    words. ``changes``: each field whose value the event changed, (before, after); the
    before is ``None`` when the subject had no such value yet. ``names``: the names of the
    staff and teams the details refer to by id. ``file_name``: the document's file (also
    for a "multisend" entry: what the client sent of that document). ``label``: an
    invoice's kind and number (or "draft for <customer>" before issue).

    A named tuple, not a dataclass: a history is tens of thousands of entries built at
    once and kept until the answer is sent. A tuple is filled in one step in C and is
    one object, where a dataclass instance is two (itself and its ``__dict__``) to
    allocate and, once the history is built, for the cyclic collector to pass over."""

    at: datetime
    actor: str
    subject: str
    subject_id: UUID
    version: int
    event_type: str
    details: dict[str, Any]
    who: str = ""
    changes: Mapping[str, tuple[Any, Any]] = _NOTHING
    names: Mapping[str, str] = _NOTHING
    file_name: str | None = None
    label: str | None = None


def _invoice_label(event: BusEvent, details: dict[str, Any], labels: dict[UUID, str]
                   ) -> None:
    if event.type == "InvoiceDrafted":
        kind = "Credit note" if details.get("invoice_kind") == "credit-note" else "Invoice"
        customer = details.get("customer") or {}
        labels[event.aggregate_id] = f"{kind} draft for {customer.get('name', '?')}"
    elif event.type == "InvoiceIssued":
        kind = labels.get(event.aggregate_id, "Invoice").split(" draft", 1)[0]
        labels[event.aggregate_id] = f"{kind} {details.get('number')}"


def _plain_stored(value: Any, keys: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"_type_", "_data_"}:
            if value["_type_"] == "sealed":  # a personal value: opened, or erased
                return open_sealed(keys, value["_data_"])
            return _plain_stored(value["_data_"], keys)
        return {k: _plain_stored(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_stored(v, keys) for v in value]
    return value


def _unknown(stored: Notification, mapper: Mapper[Any]) -> BusEvent:
    """A stored event this version cannot decode into a class: its fields as stored."""
    try:
        state = _plain_stored(json.loads(stored.state), getattr(mapper, "keys", None))
    except ValueError:
        state = {}
    try:
        at = datetime.fromisoformat(str(state.get("timestamp")))
    except ValueError:
        at = _EPOCH
    name = stored.topic.rpartition(".")[2].rpartition(":")[2] or stored.topic
    data = {k: v for k, v in state.items() if k not in ENVELOPE_FIELDS | {"class_version"}}
    client = state.get("client_id")
    return BusEvent(
        type=name, event_id=f"{stored.originator_id}:{stored.originator_version}",
        notification_id=stored.id, occurred_at=at, firm_id=_NIL,
        client_id=UUID(client) if isinstance(client, str) else None,
        actor=str(state.get("actor", "")), aggregate_id=UUID(str(stored.originator_id)),
        aggregate_version=stored.originator_version, data=data)


def decode(stored: StoredEvent, mapper: Mapper[Any],
           state: dict[str, Any] | None = None) -> BusEvent:
    """The event as the bus and the read models see it (private fields already left
    out), decoded on the fast path where it can be; an unknown type all the same.
    ``state``: its stored JSON, when the caller parsed it already."""
    notification = stored if isinstance(stored, Notification) else Notification(
        id=0, originator_id=stored.originator_id, originator_version=stored.originator_version,
        topic=stored.topic, state=stored.state)
    try:
        return stored_bus_event(notification, mapper, state)
    except Exception:
        return _unknown(notification, mapper)


def without_private(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: without_private(v) for k, v in value.items() if k not in PRIVATE_FIELDS}
    if isinstance(value, list | tuple):
        return type(value)(without_private(v) for v in value)
    return value


def who(actor: str, names: Mapping[UUID, str]) -> str:
    """A staff member by name, "the client", one of the client's users (by name where
    ``names`` has them, as "a user of the client" otherwise: their names are credentials'
    data, not history), or the system process."""
    kind, _, ident = actor.partition(":")
    if kind == "client_user":
        try:
            return names.get(UUID(ident)) or "a user of the client"
        except ValueError:
            return "a user of the client"
    if kind == "staff":
        try:
            return names.get(UUID(ident), actor)
        except ValueError:
            return actor
    if kind == "client":
        return "the client"
    return f"system ({ident})" if ident else "system"


def _shown(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without private fields at any depth. The bus leaves them out at the top of
    the events it decodes, and most events nest nothing: those are returned as they are,
    after one look at each value; an unknown type's fields and nested values take the
    walk."""
    if PRIVATE_FIELDS.isdisjoint(data):
        for value in data.values():
            if type(value) in _CONTAINERS:
                break
        else:
            return data
    return without_private(data)  # type: ignore[no-any-return]


_CONTAINERS = frozenset((dict, list, tuple))
_entry = tuple.__new__


def entries_of(events: Iterable[tuple[str, BusEvent]], names: Mapping[UUID, str]
               ) -> list[HistoryEntry]:
    """``events``: (subject, event) of one or more aggregates, each's in version order.

    A history is tens of thousands of events, so: what is known per aggregate is keyed
    by the id's number (a UUID's ``__hash__`` and ``__eq__`` are Python code), its
    entries share one id object (the store gives one per event: 50,000 more objects for
    the cyclic collector to pass over once the history is built), and each entry is
    made as the tuple it is, in one step (``HistoryEntry(...)`` passes through a Python
    ``__new__``)."""
    seen: dict[int, tuple[dict[str, Any], UUID]] = {}
    files: dict[int, str] = {}
    labels: dict[UUID, str] = {}
    actors: dict[str, str] = {}
    named_ids = {k.int: v for k, v in names.items() if type(k) is UUID}
    entries: list[HistoryEntry] = []
    append = entries.append
    for subject, event in events:
        details = _shown(event.data)
        number = event.aggregate_id.int
        aggregate = seen.get(number)
        if aggregate is None:
            aggregate = seen[number] = ({}, event.aggregate_id)
        known, aggregate_id = aggregate  # one id object for all its entries
        changes, named = {}, {}
        for k, v in details.items():
            before = known.get(k)
            if before != v:
                changes[k] = (before, v)
            if type(v) is UUID and v.int in named_ids:
                named[k] = named_ids[v.int]
        known.update(details)
        if subject == "multisend":
            document_id = details.get("document_id")
            file_name = files.get(document_id.int) if type(document_id) is UUID else None
        else:
            if subject == "document" and event.type == "DocumentReceived":
                files.setdefault(number, str(details.get("file_name")))
            file_name = files.get(number)
        if subject == "invoice":
            _invoice_label(event, details, labels)
        actor = event.actor
        said = actors.get(actor)
        if said is None:
            said = actors[actor] = who(actor, names)
        append(_entry(HistoryEntry, (
            event.occurred_at, actor, subject, aggregate_id, event.aggregate_version,
            event.type, details, said, changes, named, file_name,
            labels.get(aggregate_id) if labels else None)))
    return entries
