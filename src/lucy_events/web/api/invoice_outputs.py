"""What an issued invoice gives: its UBL and PDF downloaded, and the invoice sent to the
customer, over Peppol or by e-mail (``/clients/{id}/invoices/{invoice_id}/ubl``,
``/pdf``, ``/send``, ``/check-delivery``)."""

from __future__ import annotations

from uuid import UUID

from flask import Response

from lucy_events.aggregates.invoice_rules import InvoiceNotIssued
from lucy_events.invoicing.presenting import invoice_view
from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.invoices import INVOICE_RESPONSES, INVOICE_SCHEMA, Answer, documented
from lucy_events.web.auth import current_viewer


@api.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/send")
@documented(INVOICE_RESPONSES.format(ok=200))
def send_invoice(client_id: UUID, invoice_id: UUID) -> Answer:
    """Send the issued invoice: over Peppol when the customer is a Peppol participant
    (SML/SMP lookup of its 0208 and 9925 ids), through the firm's access point, in a
    Standard Business Document header; otherwise by e-mail to the customer's address
    (the PDF with the UBL attached). Once: a sent invoice is a 409. When it cannot be
    handed on, the invoice answers with status Failed and ``send_failure``; send it
    again later.
    ---
    post:
      tags: [invoicing]
      summary: Send an issued invoice (Peppol or e-mail)
    """
    viewer = current_viewer()
    invoice = services().invoice_sending().send(viewer.firm_id, client_id, invoice_id,
                                                viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(invoice)), 200


@api.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/check-delivery")
@documented(INVOICE_RESPONSES.format(ok=200))
def check_invoice_delivery(client_id: UUID, invoice_id: UUID) -> Answer:
    """Ask the firm's Peppol access point now whether an invoice sent over Peppol was
    delivered (``serve`` also asks every LUCY_PEPPOL_STATUS_INTERVAL seconds): status
    Delivered, Failed with the reason, or still Sent. Any other invoice is answered as
    it is.
    ---
    post:
      tags: [invoicing]
      summary: Check an invoice's Peppol delivery
    """
    viewer = current_viewer()
    invoice = services().invoice_peppol().check_delivery(viewer.firm_id, client_id,
                                                         invoice_id, viewer.actor)
    written()
    return INVOICE_SCHEMA.dump(invoice_view(invoice)), 200


def _issued_file(client_id: UUID, invoice_id: UUID, kind: str) -> Response:
    viewer = current_viewer()
    app = services().app
    invoice = app.invoice(viewer.firm_id, client_id, invoice_id, viewer.actor)
    if not invoice.issued:
        raise InvoiceNotIssued("a draft has no UBL or PDF yet: issue it first")
    ref, media_type = ((invoice.ubl_ref, "application/xml") if kind == "xml"
                       else (invoice.pdf_ref, "application/pdf"))
    return Response(app.blobs.get(ref or ""), mimetype=media_type, headers={
        "Content-Disposition": f'attachment; filename="{invoice.number}.{kind}"'})


_FILE = """
      responses:
        200:
          description: the issued {what}
          content:
            {media}:
              schema:
                type: string
                format: binary
        401: Unauthorized
        404: NotFound
        409: Conflict
"""


@api.get("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/ubl")
@documented(_FILE.format(what="UBL", media="application/xml"))
def invoice_ubl(client_id: UUID, invoice_id: UUID) -> Response:
    """The issued invoice's UBL (Peppol BIS Billing 3.0, the PDF embedded).
    ---
    get:
      tags: [invoicing]
      summary: Download the UBL
    """
    return _issued_file(client_id, invoice_id, "xml")


@api.get("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/pdf")
@documented(_FILE.format(what="PDF", media="application/pdf"))
def invoice_pdf(client_id: UUID, invoice_id: UUID) -> Response:
    """The issued invoice's PDF.
    ---
    get:
      tags: [invoicing]
      summary: Download the PDF
    """
    return _issued_file(client_id, invoice_id, "pdf")
