"""A client and its documents as they stood at a moment, replayed from the event store.
What an auditor asks as "what did this client's Inbox look like on date D".

The client is its aggregate at its last version by then (the domain's own replay). The
documents are their rows of the documents list folded from their events up to then, by
the fold that keeps the live list (``projections.documents_fold``): the list as it stood
is the same list, stopped at that moment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application.history import HistoryQueries
from lucy_events.gc_pause import collector_paused


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


class AsOfQueries(HistoryQueries):
    def client_as_of(
        self, firm_id: UUID, client_id: UUID, at: datetime, by: Actor | None = None,
        document_ids: Iterable[UUID] | None = None,
    ) -> ClientAsOf:
        # not at the top: the projections package imports the application (replay)
        from lucy_events.projections import documents_fold

        self.client(firm_id, client_id, by)
        rows: dict[UUID, dict[str, Any]] = {}
        received: dict[UUID, datetime] = {}
        client_version = 0
        with collector_paused():
            for subject, event in self.client_events(client_id, document_ids, until=at,
                                                          invoice_ids=[]):
                if event.occurred_at > at:
                    continue
                if subject == "client":
                    client_version = max(client_version, event.aggregate_version)
                elif subject == "document" and event.type == "DocumentReceived":
                    rows[event.aggregate_id] = documents_fold.received(event)
                    received[event.aggregate_id] = event.occurred_at
                elif subject == "document" and event.aggregate_id in rows:
                    documents_fold.apply(rows[event.aggregate_id], event)
        client = (self.repository.get(client_id, version=client_version)
                  if client_version else None)
        documents = [DocumentAsOf(
            document_id, row["file_name"], row["status"], row["document_type"],
            received[document_id], row["channel"], row["sender"], row["failure_reason"],
        ) for document_id, row in rows.items() if row["status"] != DocumentStatus.DELETED]
        documents.sort(key=lambda d: d.received_at, reverse=True)
        return ClientAsOf(at, client if isinstance(client, Client) else None, documents)
