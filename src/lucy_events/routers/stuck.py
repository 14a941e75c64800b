"""Ops: documents stuck in Sending (their send request was lost, parked, or its router
died with it) and sending them again safely.

A resend records the stuck attempt as failed and asks again (``Document.resend_stuck``):
the router delivers the new attempt only, and asks the package first under the delivery
key, so a first attempt that did arrive is never delivered a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.projections.document_queries import StuckDelivery, stuck_deliveries
from lucy_events.sqldb import Database

__all__ = ["ResendReport", "StuckDelivery", "resend_stuck", "stuck_deliveries"]

OPS = Actor.system("ops")


@dataclass
class ResendReport:
    requested: list[UUID] = field(default_factory=list)
    skipped: dict[UUID, str] = field(default_factory=dict)


def resend_stuck(app: LucyApplication, db: Database, *, requested_before: datetime,
                 firm_id: UUID | None = None, by: Actor = OPS) -> ResendReport:
    """Send every matching stuck document again; the aggregate judges each one from its
    own events (a read model that lags can only make a resend skip)."""
    report = ResendReport()
    for stuck in stuck_deliveries(db, requested_before=requested_before, firm_id=firm_id):
        document_id = stuck.document.document_id
        try:
            app.resend_stuck(document_id, requested_before, by)
        except DomainError as error:
            report.skipped[document_id] = str(error)
        else:
            report.requested.append(document_id)
    return report
