"""A client and its documents as they stood at a moment, replayed from the event store:
each aggregate's events up to then, applied in order. What an auditor asks as "what did
this client's Inbox look like on date D"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application.history import HistoryQueries
from lucy_events.application.history_entries import UnknownEvent


@dataclass(frozen=True)
class DocumentAsOf:
    document_id: UUID
    file_name: str
    status: str
    document_type: str | None
    received_at: datetime
    channel: str
    sender: str | None
    failure_reason: str | None


@dataclass(frozen=True)
class ClientAsOf:
    """``client`` is None when the client did not exist yet; ``documents`` are those in
    its list then (deleted ones left out), newest first."""

    at: datetime
    client: Client | None
    documents: list[DocumentAsOf]


def _replayed(events: Iterable[Any]) -> Any:
    aggregate = None
    for event in events:
        if not isinstance(event, UnknownEvent):  # its effect is not known to this version
            aggregate = event.mutate(aggregate)
    return aggregate


class AsOfQueries(HistoryQueries):
    def client_as_of(
        self, firm_id: UUID, client_id: UUID, at: datetime, by: Actor | None = None,
        document_ids: Iterable[UUID] | None = None,
    ) -> ClientAsOf:
        self.client(firm_id, client_id, by)
        by_aggregate: dict[tuple[str, UUID], list[Any]] = {}
        for subject, event in self.client_events(client_id, document_ids):
            if event.timestamp <= at:
                by_aggregate.setdefault((subject, event.originator_id), []).append(event)
        client = _replayed(by_aggregate.pop(("client", client_id), []))
        documents = []
        for (subject, _), events in by_aggregate.items():
            document = _replayed(events) if subject == "document" else None
            if isinstance(document, Document) and document.status is not DocumentStatus.DELETED:
                documents.append(DocumentAsOf(
                    document.id, document.file_name, str(document.status),
                    document.document_type, document.created_on, document.channel,
                    document.sender, getattr(document, "failure_reason", None)))
        documents.sort(key=lambda d: d.received_at, reverse=True)
        return ClientAsOf(at, client if isinstance(client, Client) else None, documents)
