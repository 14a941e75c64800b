"""Queries on the invoices read model: a client's invoices, newest first, and the
customers it invoiced before (to pick one again)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

from lucy_events.projections.ddl import table_exists
from lucy_events.projections.invoices import INVOICES
from lucy_events.sqldb import Database


@dataclass(frozen=True)
class InvoiceRow:
    invoice_id: UUID
    kind: str
    status: str
    number: str | None
    issue_date: str | None
    due_date: str | None
    customer_name: str
    credited_number: str | None
    total_incl_vat: str | None
    drafted_at: str
    document_id: str | None


def list_invoices(db: Database, *, firm_id: UUID, client_id: UUID) -> list[InvoiceRow]:
    """The client's invoices and credit notes, newest first. The caller checks that the
    viewer may see the client."""
    with db.transaction() as tx:
        if not table_exists(tx, db.dialect, INVOICES.name):
            return []
        rows = tx.execute(
            "SELECT invoice_id, kind, status, number, issue_date, due_date, customer_name, "
            "credited_number, total_incl_vat, drafted_at, document_id "
            f"FROM {INVOICES.name} WHERE firm_id = :firm AND client_id = :client "
            "ORDER BY drafted_at DESC, invoice_id",
            {"firm": str(firm_id), "client": str(client_id)})
    return [InvoiceRow(UUID(r[0]), *r[1:]) for r in rows]


def earlier_customers(db: Database, *, firm_id: UUID, client_id: UUID) -> list[dict[str, str]]:
    """Each customer the client invoiced before (latest details), by name."""
    with db.transaction() as tx:
        if not table_exists(tx, db.dialect, INVOICES.name):
            return []
        rows = tx.execute(
            f"SELECT customer FROM {INVOICES.name} WHERE firm_id = :firm AND client_id = "
            ":client ORDER BY drafted_at", {"firm": str(firm_id), "client": str(client_id)})
    customers: dict[str, dict[str, str]] = {}
    for (text,) in rows:
        customer = json.loads(text)
        customers[(customer.get("vat") or customer.get("name", "")).lower()] = customer
    return sorted(customers.values(), key=lambda c: c.get("name", "").lower())


def invoices_on_their_way(db: Database, limit: int = 500) -> list[tuple[UUID, UUID, UUID]]:
    """(firm id, client id, invoice id) of invoices sent over Peppol whose delivery the
    access point has not reported yet, oldest first."""
    with db.transaction() as tx:
        if not table_exists(tx, db.dialect, INVOICES.name):
            return []
        rows = tx.execute(
            f"SELECT firm_id, client_id, invoice_id FROM {INVOICES.name} WHERE status = "
            f"'Sent' AND sent_via = 'peppol' ORDER BY issue_date, invoice_id "
            f"LIMIT {int(limit)}")
    return [(UUID(r[0]), UUID(r[1]), UUID(r[2])) for r in rows]


def client_invoice_ids(db: Database, firm_id: UUID, client_id: UUID) -> list[UUID]:
    """The client's invoices and credit notes (for its history)."""
    return [row.invoice_id for row in list_invoices(db, firm_id=firm_id,
                                                     client_id=client_id)]
