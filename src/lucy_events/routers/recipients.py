"""What the router needs to know about a document's client and firm, read from a cache
that the event store keeps current.

Every delivery needs the client (its linked package, name and numbers) and the firm's
portal settings for that package. Rebuilding both from all their events for each
document was most of the router's own work; a client's and a firm's aggregates change
rarely. So they are kept in a cache of the router's own and brought up to date on every
read: the store is asked for the events after the cached version (one query by primary
key that finds nothing almost always) and they are applied to a copy.
A link changed a moment before a send request is therefore always seen, which a cache
invalidated by events arriving on another topic could not promise. Read only: the
router never changes a client or a firm, so nothing it caches is ever half-saved.
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
    """Aggregates by id, each brought up to date on every read: the store is asked for
    the events after the cached version, with no lock held (the router's workers read at
    once), and new events are applied to a copy. A cached aggregate is never changed
    once cached, so readers need no lock either."""

    def __init__(self, events: EventStore[UUID], size: int) -> None:
        self._events = events
        self._size = size
        self._cache: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, aggregate_id: UUID) -> Any:
        with self._lock:
            cached = self._cache.get(aggregate_id)
            if cached is not None:
                self._cache.move_to_end(aggregate_id)
        newer = list(self._events.get(
            aggregate_id, gt=cached.version if cached is not None else None))
        if not newer:
            return cached
        aggregate: Any = project_aggregate(deepcopy(cached), newer)
        with self._lock:
            current = self._cache.get(aggregate_id)
            if current is None or current.version < aggregate.version:
                self._cache[aggregate_id] = aggregate
                self._cache.move_to_end(aggregate_id)
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return aggregate


class Recipients:
    def __init__(self, app: LucyApplication, *, cache_size: int = 10_000) -> None:
        self._aggregates = FreshAggregates(app.repository.event_store, cache_size)

    def client(self, firm_id: UUID, client_id: UUID) -> Recipient:
        client = self._aggregates.get(client_id)
        if not isinstance(client, Client) or client.firm_id != firm_id:
            raise ClientNotFound(f"no client {client_id}")
        return Recipient(client.id, client.firm_id, client.name, client.vat_number,
                         client.enterprise_number, deepcopy(client.integration))

    def portal_settings(self, firm_id: UUID, package: str) -> dict[str, Any]:
        """The firm's portal configuration of the package ({} when it has none)."""
        firm = self._aggregates.get(firm_id)
        if not isinstance(firm, Firm):
            return {}
        return dict(firm.portal_integrations.get(package, {}))
