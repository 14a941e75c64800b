"""What the router needs to know about a document's client and firm, read from a cache
that the event store keeps current.

Every delivery needs the client (its linked package, name and numbers) and the firm's
portal settings for that package. Rebuilding both from all their events for each
document was most of the router's own work; a client's and a firm's aggregates change
rarely. So they are kept in a cache of the router's own and brought up to date on every
read: eventsourcing's fast-forward asks the store for the events after the cached
version (one query by primary key that finds nothing almost always) and applies them.
A link changed a moment before a send request is therefore always seen, which a cache
invalidated by events arriving on another topic could not promise. Read only: the
router never changes a client or a firm, so nothing it caches is ever half-saved.
"""

from __future__ import annotations

import threading
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.firm import Firm
from lucy_events.application import LucyApplication


@dataclass(frozen=True)
class Recipient:
    """A client as a delivery addresses it, copied out of the cache."""

    id: UUID
    firm_id: UUID
    name: str
    vat_number: str | None
    enterprise_number: str | None
    integration: dict[str, Any] | None


class Recipients:
    def __init__(self, app: LucyApplication, *, cache_size: int = 10_000) -> None:
        self._repository: Repository[UUID] = Repository(
            app.repository.event_store, cache_maxsize=cache_size, fastforward=True,
            deepcopy_from_cache=False)
        # The cached objects are shared by the router's workers: one reads or
        # fast-forwards at a time, and callers get copies.
        self._lock = threading.Lock()

    def client(self, firm_id: UUID, client_id: UUID) -> Recipient:
        with self._lock:
            client = self._get(client_id)
            if not isinstance(client, Client) or client.firm_id != firm_id:
                raise ClientNotFound(f"no client {client_id}")
            return Recipient(client.id, client.firm_id, client.name, client.vat_number,
                             client.enterprise_number, deepcopy(client.integration))

    def portal_settings(self, firm_id: UUID, package: str) -> dict[str, Any]:
        """The firm's portal configuration of the package ({} when it has none)."""
        with self._lock:
            firm = self._get(firm_id)
            if not isinstance(firm, Firm):
                return {}
            return dict(firm.portal_integrations.get(package, {}))

    def _get(self, aggregate_id: UUID) -> Any:
        try:
            return self._repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
