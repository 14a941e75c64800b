"""The invoices read model ("invoices"): one row per sales invoice or credit note of a
client (draft or issued), for the invoice list and the customers typed before.

Each row keeps the invoice's version that last changed it; older or equal versions
change nothing (an event delivered again has no second effect)."""

from __future__ import annotations

from collections.abc import Sequence

from lucy_events.bus.catalogue import INVOICE_TOPIC
from lucy_events.bus.records import BusEvent
from lucy_events.projections.base import Projection
from lucy_events.projections.tables import Index, Table
from lucy_events.projections.values import day, ident, moment
from lucy_events.sqldb import Transaction

INVOICES = Table(
    "client_invoices",
    (
        ("invoice_id", "text"), ("client_id", "text"), ("firm_id", "text"), ("version", "int"),
        ("kind", "text"), ("status", "text"), ("number", "text"), ("issue_date", "text"),
        ("due_date", "text"), ("customer_name", "text"), ("customer_vat", "text"),
        ("customer", "text"), ("credited_number", "text"), ("total_incl_vat", "text"),
        ("drafted_at", "text"), ("document_id", "text"), ("sent_via", "text"),
    ),
    key=("invoice_id",),
    indexes=(Index("client_drafted", "client_id, drafted_at, invoice_id"),),
)


def _draft_columns(data: dict[str, object]) -> dict[str, object]:
    import json

    customer = dict(data["customer"])  # type: ignore[call-overload]
    return {"customer_name": customer.get("name", ""), "customer_vat": customer.get("vat", ""),
            "customer": json.dumps(customer, sort_keys=True),
            "due_date": day(data.get("due_date"))}  # type: ignore[arg-type]


_STATUS_OF = {"InvoiceSent": "Sent", "InvoiceSendFailed": "Failed",
              "InvoiceDelivered": "Delivered", "InvoiceDeliveryFailed": "Failed"}


class InvoicesProjection(Projection):
    base_name = "invoices"
    tables = (INVOICES,)
    topics = (INVOICE_TOPIC,)
    event_types = frozenset({"InvoiceDrafted", "InvoiceDraftChanged", "InvoiceIssued",
                             "InvoiceSent", "InvoiceSendFailed", "InvoiceDelivered",
                             "InvoiceDeliveryFailed"})

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        table = self.physical(INVOICES)
        for event in events:
            data = dict(event.data)
            key = {"invoice_id": str(event.aggregate_id), "version": event.aggregate_version}
            if event.type == "InvoiceDrafted":
                tx.execute(
                    f"INSERT INTO {table} (invoice_id, client_id, firm_id, version, kind, "
                    "status, customer_name, customer_vat, customer, due_date, "
                    "credited_number, drafted_at) VALUES (:invoice_id, :client_id, :firm_id, "
                    ":version, :kind, 'Draft', :customer_name, :customer_vat, :customer, "
                    ":due_date, :credited_number, :at) ON CONFLICT (invoice_id) DO NOTHING",
                    {**key, **_draft_columns(data), "client_id": ident(event.client_id),
                     "firm_id": str(event.firm_id), "kind": data["invoice_kind"],
                     "credited_number": data.get("credited_number"),
                     "at": moment(event.occurred_at)})
            elif event.type == "InvoiceDraftChanged":
                tx.execute(
                    f"UPDATE {table} SET customer_name = :customer_name, customer_vat = "
                    ":customer_vat, customer = :customer, due_date = :due_date, version = "
                    ":version WHERE invoice_id = :invoice_id AND version < :version",
                    {**key, **_draft_columns(data)})
            elif event.type == "InvoiceIssued":
                tx.execute(
                    f"UPDATE {table} SET status = 'Issued', number = :number, issue_date = "
                    ":issue_date, total_incl_vat = :total, document_id = :document_id, "
                    "version = :version WHERE invoice_id = :invoice_id AND version < :version",
                    {**key, "number": data["number"], "issue_date": day(data["issue_date"]),
                     "total": data["total_incl_vat"], "document_id": str(data["document_id"])})
            elif event.type in _STATUS_OF:
                tx.execute(
                    f"UPDATE {table} SET status = :status, version = :version, sent_via = "
                    "COALESCE(:via, sent_via) WHERE invoice_id = :invoice_id AND "
                    "version < :version",
                    {**key, "status": _STATUS_OF[event.type],
                     "via": data.get("via") if event.type == "InvoiceSent" else None})
