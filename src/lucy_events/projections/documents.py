"""The documents read model ("documents"): one row per document of a client, with its
status, delivery attempts, last failure and where it was sent."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections import documents_fold
from lucy_events.projections.base import Projection
from lucy_events.projections.tables import Index, Row, Table
from lucy_events.projections.values import ident
from lucy_events.sqldb import Transaction

log = structlog.get_logger()

DOCUMENTS = Table(
    "client_documents",
    (
        ("document_id", "text"), ("client_id", "text"), ("firm_id", "text"),
        ("version", "int"), ("file_name", "text"), ("media_type", "text"),
        ("size", "bigint"), ("channel", "text"), ("sender", "text"),
        ("document_type", "text"), ("status", "text"), ("received_at", "text"),
        # When the document last changed status: when it failed, for a Failed one.
        ("status_at", "text"), ("attempts", "int"), ("failure_reason", "text"),
        ("retryable", "bool"), ("sent_at", "text"), ("package", "text"),
        ("remote_reference", "text"),
        # What recognition read (corrections win: ``corrected`` names the corrected
        # fields, comma-separated), how, and whether it may duplicate another document.
        ("supplier_name", "text"), ("supplier_vat", "text"), ("invoice_number", "text"),
        ("issue_date", "text"), ("total_incl_vat", "text"), ("currency", "text"),
        ("recognition_method", "text"), ("recognition_confidence", "real"),
        ("corrected", "text"), ("type_source", "text"), ("duplicate_of", "text"),
        ("duplicates", "int"),
    ),
    key=("document_id",),
    indexes=(
        Index("client_received", "client_id, received_at, document_id"),
        Index("client_status", "client_id, status, received_at, document_id"),
        Index("failed", "status_at", where="status = 'Failed'"),
    ),
)


class DocumentsProjection(Projection):
    base_name = "documents"
    folds_views = True
    tables = (DOCUMENTS,)
    topics = (DOCUMENT_TOPIC,)

    def apply(self, tx: Transaction, events: Sequence[FoldedEvent]) -> None:
        self.plan_for_fresh_tables(tx)
        ids = [ident(e.aggregate_id) for e in events]
        rows = self.load_rows(tx, DOCUMENTS, ids)
        changed: dict[str, Row] = {}
        for document_id, event in zip(ids, events, strict=True):
            row = rows.get(document_id)
            if row is None:
                if event.type != "DocumentReceived":
                    log.warning("event of an unknown document skipped",
                                event_id=event.event_id, event_type=event.type)
                    continue
                row = rows[document_id] = documents_fold.received(event)
            elif not documents_fold.apply(row, event):
                continue
            changed[document_id] = row
        self.save_rows(tx, DOCUMENTS, changed)
