"""Ops: which deliveries failed and why, and sending them again in bulk.

Only documents whose last delivery failed are asked to be sent again; the Document
aggregate refuses anything else (a Sent document is never sent twice), so a read model
that lags behind can only make a retry skip, never duplicate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.projections import FailedDelivery, failed_deliveries
from lucy_events.sqldb import Database

OPS = Actor.system("ops")


@dataclass
class RetryReport:
    requested: list[UUID] = field(default_factory=list)
    skipped: dict[UUID, str] = field(default_factory=dict)


def list_failed(
    db: Database, *, firm_id: UUID | None = None, client_id: UUID | None = None,
    package: str | None = None, since: datetime | None = None,
) -> list[FailedDelivery]:
    return failed_deliveries(db, firm_id=firm_id, client_id=client_id, package=package,
                             since=since)


def retry_failed(
    app: LucyApplication, db: Database, *, firm_id: UUID | None = None,
    client_id: UUID | None = None, package: str | None = None,
    since: datetime | None = None, by: Actor = OPS, retryable: bool | None = None,
) -> RetryReport:
    """Ask to send every matching Failed document again, one transaction per firm.
    ``retryable=True``: only failures that need no fix first (the dashboard's button)."""
    report = RetryReport()
    by_firm: dict[UUID, list[UUID]] = defaultdict(list)
    for failed in failed_deliveries(db, firm_id=firm_id, client_id=client_id,
                                    package=package, since=since, limit=10**9,
                                    retryable=retryable):
        by_firm[failed.document.firm_id].append(failed.document.document_id)
    for firm, document_ids in by_firm.items():
        for document_id, error in app.request_bulk_send(firm, document_ids, by).items():
            if error is None:
                report.requested.append(document_id)
            else:
                report.skipped[document_id] = str(error)
    return report
