"""The periodic check of invoices sent over Peppol: every ``interval`` seconds (inside
``serve``, ``LUCY_PEPPOL_STATUS_INTERVAL``), each invoice the invoices read model shows
as Sent over Peppol is asked about at the firm's access point, and becomes Delivered or Failed when
the access point says so. Polling, because it needs nothing from the provider but the
status endpoint, survives restarts (the state is the invoice's), and a check that fails
is simply made again at the next run. "Check delivery" on an invoice asks at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.notifications.schedule import PeriodicCheck
from lucy_events.projections.invoice_queries import invoices_on_their_way
from lucy_events.sqldb import Database

if TYPE_CHECKING:  # the Peppol lookup (dnspython) loads only where it is built
    from lucy_events.invoicing.peppol_sending import InvoicePeppol

log = structlog.get_logger()
ACTOR = Actor.system("peppol-delivery-check")


class InvoiceDeliveryChecks:
    def __init__(self, peppol: InvoicePeppol, db: Database) -> None:
        self.peppol, self.db = peppol, db

    def run_once(self) -> int:
        """Ask about every invoice on its way over Peppol; how many changed (Delivered or
        Failed)."""
        changed = 0
        for firm_id, client_id, invoice_id in invoices_on_their_way(self.db):
            try:
                invoice = self.peppol.check_delivery(firm_id, client_id, invoice_id, ACTOR)
            except Exception:  # one invoice's trouble never stops the others' checks
                log.exception("Peppol delivery check failed", invoice_id=str(invoice_id))
                continue
            changed += invoice.status != "Sent"
        return changed


def delivery_schedule(checks: InvoiceDeliveryChecks, interval: float) -> PeriodicCheck:
    return PeriodicCheck("Peppol delivery checks", checks.run_once, interval)
