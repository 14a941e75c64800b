"""/clients/{id}/invoices: the client's sales invoices and credit notes. Drafts are
created and edited; issuing numbers them, validates their Peppol BIS 3 UBL (a broken
rule is a 422 with each field's rule messages) and puts them in the client's Inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from lucy_events.invoicing.customer_search import find_customers
from lucy_events.invoicing.presenting import adjustments_for_command, invoice_view
from lucy_events.projections.invoice_queries import earlier_customers, list_invoices
from lucy_events.web.api.access import services, visible_client, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body, query_args
from lucy_events.web.api.schemas.invoicing import (
    CreditNoteSchema,
    CustomerQuerySchema,
    InvoiceDraftSchema,
    InvoiceRowSchema,
    InvoiceSchema,
)
from lucy_events.web.auth import current_viewer

INVOICE_SCHEMA, _ROW = InvoiceSchema(), InvoiceRowSchema()
Answer = tuple[Any, int]
F = TypeVar("F", bound=Callable[..., Any])
INVOICE_RESPONSES = """
      responses:
        {ok}:
          content:
            application/json:
              schema: InvoiceSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        422: Unprocessable
"""


def documented(responses: str) -> Callable[[F], F]:
    """Adds the responses shared by several operations to a view's OpenAPI docstring."""
    def add(view: F) -> F:
        view.__doc__ = (view.__doc__ or "").rstrip() + "\n" + responses
        return view
    return add


def _draft_body() -> dict[str, Any]:
    body = json_body(InvoiceDraftSchema())
    body["adjustments"] = adjustments_for_command(body["adjustments"])
    return body


@api.get("/clients/<uuid:client_id>/invoices")
def list_client_invoices(client_id: UUID) -> dict[str, Any]:
    """The client's invoices and credit notes, newest first, and the customers it
    invoiced before.
    ---
    get:
      tags: [invoicing]
      summary: List the client's invoices
      responses:
        200:
          content:
            application/json:
              schema: InvoiceListSchema
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    visible_client(viewer, client_id)
    db = services().read_db
    rows = list_invoices(db, firm_id=viewer.firm_id, client_id=client_id)
    return {"items": _ROW.dump(rows, many=True), "total": len(rows),
            "customers": earlier_customers(db, firm_id=viewer.firm_id, client_id=client_id)}


@api.get("/clients/<uuid:client_id>/invoice-customers")
def search_invoice_customers(client_id: UUID) -> dict[str, Any]:
    """Customers for a new invoice matching ``q`` (a name, an enterprise or VAT number):
    the client's earlier customers first, then the company register.
    ---
    get:
      tags: [invoicing]
      summary: Search customers for an invoice
      parameters:
      - in: query
        schema: CustomerQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: CustomerSearchSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    visible_client(viewer, client_id)
    query = query_args(CustomerQuerySchema())
    return {"items": find_customers(
        services().read_db, services().company_register(), firm_id=viewer.firm_id,
        client_id=client_id, text=query["q"], language=query["language"],
        limit=query["limit"])}


@api.post("/clients/<uuid:client_id>/invoices")
@documented(INVOICE_RESPONSES.format(ok=201))
def create_invoice(client_id: UUID) -> Answer:
    """Draft an invoice.
    ---
    post:
      tags: [invoicing]
      summary: Draft an invoice
      requestBody:
        required: true
        content:
          application/json:
            schema: InvoiceDraftSchema
    """
    viewer, body = current_viewer(), _draft_body()
    invoice = services().app.draft_invoice(viewer.firm_id, client_id, body, viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(invoice)), 201


@api.get("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>")
def get_invoice(client_id: UUID, invoice_id: UUID) -> dict[str, Any]:
    """One invoice or credit note with its lines and totals.
    ---
    get:
      tags: [invoicing]
      summary: Read an invoice
      responses:
        200:
          content:
            application/json:
              schema: InvoiceSchema
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    invoice = services().app.invoice(viewer.firm_id, client_id, invoice_id, viewer.actor)
    return dict(INVOICE_SCHEMA.dump(invoice_view(invoice)))


@api.put("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>")
@documented(INVOICE_RESPONSES.format(ok=200))
def edit_invoice(client_id: UUID, invoice_id: UUID) -> Answer:
    """Change a draft (an issued invoice never changes: 409; correct it with a credit
    note).
    ---
    put:
      tags: [invoicing]
      summary: Edit a draft
      requestBody:
        required: true
        content:
          application/json:
            schema: InvoiceDraftSchema
    """
    viewer, body = current_viewer(), _draft_body()
    invoice = services().app.edit_invoice(viewer.firm_id, client_id, invoice_id, body,
                                          viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(invoice)), 200


@api.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/issue")
@documented(INVOICE_RESPONSES.format(ok=200))
def issue_invoice(client_id: UUID, invoice_id: UUID) -> Answer:
    """Issue a draft today: the year's next number, the PDF, the UBL validated with the
    UBL 2.1 schema, CEN EN16931 and Peppol BIS 3 rules. A fatal rule is a 422 whose
    ``fields`` name each field concerned with the rules' messages; nothing is issued.
    ---
    post:
      tags: [invoicing]
      summary: Issue an invoice or credit note
    """
    viewer = current_viewer()
    invoice = services().app.issue_invoice(viewer.firm_id, client_id, invoice_id,
                                           viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(invoice)), 200


@api.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/credit-note")
@documented(INVOICE_RESPONSES.format(ok=201))
def credit_invoice(client_id: UUID, invoice_id: UUID) -> Answer:
    """Draft a credit note of an issued invoice (its lines unless others are given).
    ---
    post:
      tags: [invoicing]
      summary: Draft a credit note
      requestBody:
        required: false
        content:
          application/json:
            schema: CreditNoteSchema
    """
    viewer, body = current_viewer(), json_body(CreditNoteSchema())
    credit = services().app.draft_credit_note(viewer.firm_id, client_id, invoice_id, body,
                                              viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(credit)), 201
