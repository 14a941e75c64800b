"""The audit trail straight from the event store: what happened to a client and its
documents, when, and who did it.

Every entry is read from the event store. Which documents are the client's is either
found by scanning the document events of the notification log (authoritative, but its
cost grows with the whole store: the CLI's ``history`` for auditors), or given by the
caller from the documents read model (one indexed read per document: the dashboard and
the API, as fresh as their other views).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from lucy_events.aggregates import event_classes
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.firm import Firm
from lucy_events.aggregates.vault import Vault
from lucy_events.application.base import CommandsBase

_ENVELOPE = {
    "originator_id", "originator_version", "timestamp", "originator_topic",
    "actor", "firm_id", "client_id",
}
_PAGE = 1000


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    subject: str
    subject_id: UUID
    version: int
    event_type: str
    details: dict[str, Any]


@dataclass(frozen=True)
class ClientSummary:
    client_id: UUID
    firm_id: UUID
    name: str
    enterprise_number: str | None
    vat_number: str | None


def _event_topics(aggregate: type[Any]) -> list[str]:
    return [get_topic(cls) for cls in event_classes(aggregate)]


def _entry(subject: str, event: Any) -> HistoryEntry:
    details = {k: v for k, v in vars(event).items() if k not in _ENVELOPE}
    return HistoryEntry(
        at=event.timestamp, actor=event.actor, subject=subject,
        subject_id=event.originator_id, version=event.originator_version,
        event_type=type(event).__name__, details=details,
    )


class HistoryQueries(CommandsBase):
    def _notifications(self, topics: list[str]) -> Iterator[Notification]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=_PAGE, topics=topics)
            yield from page
            if len(page) < _PAGE:
                return
            start = page[-1].id + 1

    def client_history(
        self, firm_id: UUID, client_id: UUID, as_of: datetime | None = None,
        by: Actor | None = None, document_ids: Iterable[UUID] | None = None,
    ) -> list[HistoryEntry]:
        """Every event of the client and of its documents, oldest first, up to ``as_of``.
        ``document_ids``: the client's documents when the caller knows them (from the
        documents read model); else the notification log is scanned for them."""
        self.client(firm_id, client_id, by)
        entries = [_entry("client", e) for e in self.events.get(client_id)]
        if document_ids is None:
            events: Iterable[Any] = self._client_document_events(client_id)
        else:
            events = self._events_of(list(document_ids))
        entries += [_entry("document", e) for e in events
                    if getattr(e, "client_id", None) == client_id]
        entries += [_entry("vault", e) for e in self.events.get(Vault.id_for(client_id))]
        if as_of is not None:
            entries = [e for e in entries if e.at <= as_of]
        return sorted(entries, key=lambda e: (e.at, e.subject_id.int, e.version))

    def _events_of(self, aggregate_ids: list[UUID]) -> Iterable[Any]:
        """The events of these aggregates: in one query where the store can (PostgreSQL),
        else one read per aggregate."""
        select_many = getattr(self.recorder, "select_events_of", None)
        if select_many is None:
            return (e for i in aggregate_ids for e in self.events.get(i))
        return map(self.mapper.to_domain_event, select_many(aggregate_ids))

    def _client_document_events(self, client_id: UUID) -> Iterator[Any]:
        marker = client_id.hex.encode()
        for notification in self._notifications(_event_topics(Document)):
            if marker in notification.state:  # cheap filter before decoding
                yield self.mapper.to_domain_event(notification)

    def find_firms(self) -> list[tuple[UUID, str]]:
        """Every firm: (id, name), in registration order."""
        found = []
        for notification in self._notifications([get_topic(Firm.FirmRegistered)]):
            event: Any = self.mapper.to_domain_event(notification)
            found.append((event.originator_id, event.name))
        return found

    def find_clients(self, text: str = "") -> list[ClientSummary]:
        """Clients whose name, enterprise or VAT number contains ``text`` (any firm)."""
        needle = text.strip().casefold()
        found = []
        for notification in self._notifications([get_topic(Client.ClientCreated)]):
            event: Any = self.mapper.to_domain_event(notification)
            summary = ClientSummary(
                event.originator_id, event.firm_id, event.name,
                event.enterprise_number, event.vat_number,
            )
            haystack = " ".join(filter(None, [summary.name, summary.enterprise_number,
                                              summary.vat_number])).casefold()
            if needle in haystack:
                found.append(summary)
        return found
