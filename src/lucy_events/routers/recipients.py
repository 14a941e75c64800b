"""What the router needs to know about a document's client and firm, from a cache that
is current for every request it serves.

Every delivery needs the client (its linked package, name and numbers) and the firm's
portal settings for that package. Rebuilding both from their events for each document
cost two queries a delivery, as much as the document itself; a client and a firm change
rarely. So they are cached, each with the notification id it is known to be current to
(``FreshAggregates``): a request stored before that id is served from the cache; for a
later one, one read of the log since the last check says which of them changed, and
only those read their newer events. A link changed before a send
request is therefore always seen, which a cache invalidated by events arriving on
another topic (the client topic, in its own order) could not promise. Read only: the
router never changes a client or a firm.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.persistence import ApplicationRecorder, EventStore

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.firm import Firm
from lucy_events.application import LucyApplication


@dataclass(frozen=True)
class Recipient:
    """A client as a delivery addresses it."""

    id: UUID
    firm_id: UUID
    name: str
    vat_number: str | None
    enterprise_number: str | None
    integration: dict[str, Any] | None


#: The most events one check of the log reads; a longer stretch (a backlog) leaves each
#: cached aggregate to its own query, as before the first check.
CHECK_LIMIT = 1_000


class FreshAggregates:
    """Aggregates by id, each known to be current up to a notification id.

    Every event up to the highest notification id the router has polled is committed
    in the store (the log and the relay hand events out in commit order). So an
    aggregate read from the store after that point is current for any request up to
    it: a later request for one up to that id is served from the cache without a query.

    A later request (steady traffic: nearly every one) needs the cache checked. One
    worker reads which aggregates have events in the stretch of the log since the last
    check (``_check``: one query for all of them, where each delivery used to ask for
    its client's and its firm's newer events); those leave the chain, and every other
    aggregate cached in the current ``_chain`` of checks is current to the end of the
    stretch. An aggregate cached when the checks had already gone past its read is not
    in the chain (it may have changed in between) until it is read again. The rest
    (not cached, out of the chain) is read as before: the events after the cached
    version, with no lock held (the router's workers read at once), applied to a copy.
    A cached aggregate is never changed once cached, so readers need no lock either."""

    def __init__(self, events: EventStore[UUID], log: ApplicationRecorder, size: int) -> None:
        self._events = events
        self._log = log
        self._size = size
        # id -> (aggregate, the notification id it is current to, its chain or -1)
        self._cache: OrderedDict[UUID, tuple[Any, int, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._checking = threading.Lock()
        self._checked: int | None = None  # every aggregate of the chain is current to it
        self._chain = 0
        self.polled = 0

    def get(self, aggregate_id: UUID, as_of: int) -> Any:
        """The aggregate with every event stored before notification ``as_of``."""
        current, known = self._current(aggregate_id, as_of)
        if known and current is None:
            self._check(as_of)
            current, known = self._current(aggregate_id, as_of)
        if current is not None:
            return current
        with self._lock:
            base = self._cache.get(aggregate_id, (None,))[0]
        head = max(as_of, self.polled)  # read before the query, so the query sees it all
        newer = list(self._events.get(
            aggregate_id, gt=base.version if base is not None else None))
        aggregate: Any = project_aggregate(deepcopy(base), newer) if newer else base
        if aggregate is None:
            return None
        with self._lock:
            kept = self._cache.get(aggregate_id)
            if kept is None or (kept[0].version, kept[1]) < (aggregate.version, head):
                chain = self._chain if self._checked is not None and head >= self._checked else -1
                self._cache[aggregate_id] = (aggregate, head, chain)
                self._cache.move_to_end(aggregate_id)
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return aggregate

    def _current(self, aggregate_id: UUID, as_of: int) -> tuple[Any, bool]:
        """The cached aggregate if it is current up to ``as_of`` (else None), and whether
        it is cached at all."""
        with self._lock:
            cached = self._cache.get(aggregate_id)
            if cached is None:
                return None, False
            self._cache.move_to_end(aggregate_id)
            aggregate, current_to, chain = cached
            if chain == self._chain and self._checked is not None:
                current_to = max(current_to, self._checked)
            return (aggregate if current_to >= as_of else None), True

    def _check(self, as_of: int) -> None:
        """Carry the chain from the last check to the highest polled id; what has events
        in between leaves it (its next read asks for its newer events). One worker at a
        time; the others wait for its answer."""
        with self._checking:
            head = max(as_of, self.polled)  # read before the query, so the query sees it all
            start = self._checked
            if start is not None and start >= as_of:
                return  # checked meanwhile
            changed: set[Any] | None = None  # UUIDs (the recorder types them UUID | str)
            if start is not None:
                stretch = self._log.select_notifications(
                    start, CHECK_LIMIT, stop=head, inclusive_of_start=False)
                if len(stretch) < CHECK_LIMIT:
                    changed = {notification.originator_id for notification in stretch}
            with self._lock:
                if changed is None:  # a new chain: none cached is known current past its read
                    self._chain += 1
                for aggregate_id in changed or ():
                    cached = self._cache.get(aggregate_id)
                    if cached is not None:
                        self._cache[aggregate_id] = (cached[0], cached[1], -1)
                self._checked = head


class Recipients:
    def __init__(self, app: LucyApplication, *, cache_size: int = 10_000) -> None:
        self._aggregates = FreshAggregates(app.repository.event_store, app.recorder, cache_size)

    def polled(self, notification_id: int) -> None:
        """The router was handed the event stored as ``notification_id``."""
        self._aggregates.polled = max(self._aggregates.polled, notification_id)

    def client(self, firm_id: UUID, client_id: UUID, *, as_of: int) -> Recipient:
        """The client as of the request stored as notification ``as_of``."""
        client = self._aggregates.get(client_id, as_of)
        if not isinstance(client, Client) or client.firm_id != firm_id:
            raise ClientNotFound(f"no client {client_id}")
        return Recipient(client.id, client.firm_id, client.name, client.vat_number,
                         client.enterprise_number, deepcopy(client.integration))

    def portal_settings(self, firm_id: UUID, package: str, *, as_of: int) -> dict[str, Any]:
        """The firm's portal configuration of the package ({} when it has none)."""
        firm = self._aggregates.get(firm_id, as_of)
        if not isinstance(firm, Firm):
            return {}
        return dict(firm.portal_integrations.get(package, {}))
