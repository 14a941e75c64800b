"""Stored events as a replay's fold reads them: a ``StoredView`` for each, not a BusEvent.

A read model's fold turns a BusEvent's ids back into text (the rows hold text) and,
for most events, reads neither its payload nor its time. A replay folds the whole
history, and building each BusEvent (UUIDs, a datetime, the payload's dict) only for
the fold to take it apart again cost a third of a rebuild's CPU (docs/benchmarks.md,
Read-model rebuild). A view holds what a fold reads with the ids and the time as the
text a BusEvent's would turn into (``projections.values.ident`` and ``moment``: the time
as stored), and decodes the payload when it is read, to the very values the BusEvent
holds (the same ``stored_records`` conversions). Contract tests prove a view reads like
the BusEvent of the same stored event for every event type, and a rebuild that folds
views writes the rows of one that folds BusEvents.

Only what ``stored_records`` reads without the mapper has a view (no upcasting, no
cipher or compressor): ``stored_views`` gives None for a batch holding anything else,
and the replay takes that batch the live way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, Notification

from lucy_events.bus.records import Remembered, id_text, uuid_of
from lucy_events.bus.stored_records import _SKIP, _Kind, _kind, _payload


def _id_text(hex32: str) -> str:
    """The text of a stored id as a BusEvent's would be spelled (``ident(uuid_of(...))``):
    a stored value that is no id raises, so its batch goes the live way, which parks it."""
    return id_text(uuid_of(hex32))


#: Id texts by their stored hex (the clients and firms of a replay: a few thousand), each
#: parsed once.
_text = Remembered(_id_text).__getitem__


class StoredView:
    """What a fold reads of a BusEvent, read from the stored event: ``type``,
    ``aggregate_version``, ``notification_id``, ``actor`` as the BusEvent has them; its
    ids (``aggregate_id``, ``firm_id``, ``client_id``) as text; ``occurred_at`` as the
    stored text (``values.moment`` reads it as the BusEvent's time); ``data`` and
    ``event_id`` made when read."""

    __slots__ = ("_data", "_kind", "_mapper", "_state", "actor", "aggregate_id",
                 "aggregate_version", "client_id", "firm_id", "notification_id",
                 "occurred_at", "type")

    type: str
    notification_id: int
    aggregate_id: str
    aggregate_version: int
    firm_id: str
    client_id: str | None
    actor: str
    occurred_at: str
    _state: dict[str, Any] | None
    _kind: _Kind
    _mapper: Mapper[Any]
    _data: dict[str, Any] | None

    @property
    def event_id(self) -> str:
        return f"{self.aggregate_id}:{self.aggregate_version}"

    @property
    def data(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            assert self._state is not None
            data = self._data = _payload(self._state, self._kind.to_objects, self._kind,
                                         self._mapper, _REST)
            self._state = None  # the payload is the state, its envelope taken out
        return data


#: What a view's state still holds beside the event's own fields: ``stored_views`` takes
#: the envelope's out as it reads them (each read a pop, not a lookup), which halved the
#: cost of a document event's ``data`` (docs/benchmarks.md, Read-model rebuild, session 11).
_REST = tuple(set(_SKIP) - {"class_version", "firm_id", "client_id", "actor", "timestamp"})
_new = object.__new__
_loads = orjson.loads
_time = datetime.fromisoformat
#: A stored event as the log's table holds it, its originator id as text (the
#: PostgreSQL recorder's ``select_stored``): notification id, originator id, originator
#: version, topic, state.
StoredRow = tuple[int, str, int, str, bytes]


def stored_views(rows: Sequence[StoredRow], mapper: Mapper[Any]) -> list[StoredView] | None:
    """The views of a batch of stored events, or None when any of them has none: one
    only the mapper reads (``stored_records._fast_state``), or one that cannot be read at
    all (its JSON, its ids, its time). The batch is then for the live way, which
    decodes or parks each event."""
    if mapper.cipher is not None or mapper.compressor is not None:
        return None
    views: list[StoredView] = []
    add = views.append
    kinds: dict[str, _Kind] = {}
    try:
        for notification_id, aggregate_id, version, topic, stored in rows:
            kind = kinds.get(topic)
            if kind is None:
                kind = kinds[topic] = _kind(topic)
                if not kind.fast:
                    return None
            state = _loads(stored)
            pop = state.pop
            if pop("class_version", 1) != kind.class_version:  # needs an upcaster
                return None
            view = _new(StoredView)
            view.type = kind.event_type
            view.notification_id = notification_id
            view.aggregate_id = aggregate_id
            view.aggregate_version = version
            view.firm_id = _text(pop("firm_id")["_data_"])
            client = pop("client_id", None)
            if client is not None:
                view.client_id = _text(client["_data_"])
            else:
                view.client_id = aggregate_id if kind.client_scoped else None
            view.actor = pop("actor")
            view.occurred_at = at = pop("timestamp")["_data_"]
            _time(at)  # one that is no time is parked by the live way, not raised by a fold
            view._state = state
            view._kind = kind
            view._mapper = mapper
            view._data = None
            add(view)
    except Exception:
        return None
    return views


def stored_row(notification: Notification) -> StoredRow:
    """The row of a notification (a recorder without ``select_stored``)."""
    originator_id = notification.originator_id
    return (notification.id, str(originator_id), notification.originator_version,
            notification.topic, notification.state)


def notification_of(row: StoredRow) -> Notification:
    """The notification of a row (for the live way)."""
    notification_id, originator_id, version, topic, state = row
    return Notification(id=notification_id, originator_id=UUID(originator_id),
                        originator_version=version, topic=topic, state=bytes(state))
