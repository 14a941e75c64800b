"""What the router needs to know about a document's client and firm, from a cache that
is current for every request it serves.

Every delivery needs the client (its linked package, name and numbers) and the firm's
portal settings for that package. Rebuilding both from their events for each document
cost two queries a delivery, as much as the document itself; a client and a firm change
rarely. So they are cached, each with the notification id it is known to be current to
(``FreshAggregates``): a request stored before that id is served from the cache, a later
one reads only the events after the cached version. A link changed before a send
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
from eventsourcing.persistence import EventStore

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


class FreshAggregates:
    """Aggregates by id, each known to be current up to a notification id.

    Every event up to the highest notification id the router has polled is committed
    in the store (the log and the relay hand events out in commit order). So an
    aggregate read from the store after that point is current for any request up to
    it: a later request for one up to that id is served from the cache without a query;
    otherwise the store is asked for the events after the cached version, with no lock
    held (the router's workers read at once), and they are applied to a copy. A cached
    aggregate is never changed once cached, so readers need no lock either."""

    def __init__(self, events: EventStore[UUID], size: int) -> None:
        self._events = events
        self._size = size
        self._cache: OrderedDict[UUID, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.polled = 0

    def get(self, aggregate_id: UUID, as_of: int) -> Any:
        """The aggregate with every event stored before notification ``as_of``."""
        with self._lock:
            cached, current_to = self._cache.get(aggregate_id, (None, -1))
            if cached is not None:
                self._cache.move_to_end(aggregate_id)
                if current_to >= as_of:
                    return cached
        head = max(as_of, self.polled)  # read before the query, so the query sees it all
        newer = list(self._events.get(
            aggregate_id, gt=cached.version if cached is not None else None))
        aggregate: Any = project_aggregate(deepcopy(cached), newer) if newer else cached
        if aggregate is None:
            return None
        with self._lock:
            known, known_to = self._cache.get(aggregate_id, (None, -1))
            if known is None or (known.version, known_to) < (aggregate.version, head):
                self._cache[aggregate_id] = (aggregate, head)
                self._cache.move_to_end(aggregate_id)
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return aggregate


class Recipients:
    def __init__(self, app: LucyApplication, *, cache_size: int = 10_000) -> None:
        self._aggregates = FreshAggregates(app.repository.event_store, cache_size)

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
