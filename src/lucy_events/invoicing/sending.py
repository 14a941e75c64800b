"""Sending an issued invoice to its customer: over Peppol when the customer is a Peppol
participant (``invoicing.peppol_sending``), else by e-mail.

By e-mail: the PDF with the UBL attached,
through the outgoing-mail backend (SMTP relay or outbox), once per invoice (the sent-mail
ledger claims the invoice's key first, and the Message-ID is derived from the invoice),
with the mail retry policy. The outcome is recorded on the invoice: InvoiceSent, or
InvoiceSendFailed with the reason (it may be sent again)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.invoice import Invoice
from lucy_events.application import LucyApplication
from lucy_events.invoicing.peppol_sending import InvoicePeppol
from lucy_events.invoicing.wording import WORDS
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.outbox import FIRM_HEADER
from lucy_events.notifications.sending import send_once

log = structlog.get_logger()


def invoice_mail(invoice: Invoice, pdf: bytes, ubl: bytes, from_address: str) -> EmailMessage:
    words = WORDS[invoice.language or "en"]
    seller = invoice.seller.get("name", "")
    message = EmailMessage()
    message["From"] = formataddr((seller, from_address))
    message["To"] = formataddr((invoice.customer["name"], invoice.customer["email"]))
    message["Subject"] = f"{words[invoice.kind]} {invoice.number} - {seller}"
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<invoice-{invoice.id}@lucy-events>"
    message[FIRM_HEADER] = str(invoice.firm_id)
    message.set_content(
        f"{words[invoice.kind]} {invoice.number}\n{words['total_incl']}: "
        f"{invoice.totals.incl_vat} {invoice.currency}\n{words['communication']}: "
        f"{invoice.structured_communication}\n\n{seller}\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"{invoice.number}.pdf")
    message.add_attachment(ubl, maintype="application", subtype="xml",
                           filename=f"{invoice.number}.xml")
    return message


class InvoiceMail:
    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail) -> None:
        self.app = app
        self.mailer = mailer
        self.ledger = ledger

    def send(self, firm_id: UUID, client_id: UUID, invoice_id: UUID, by: Actor) -> Invoice:
        app = self.app
        invoice = app.invoice(firm_id, client_id, invoice_id, by)
        invoice.check_sendable()
        recipient = invoice.customer.get("email", "")
        if not recipient:
            raise InvalidValue("customer.email", "is needed to send the invoice by e-mail")
        message = invoice_mail(invoice, app.blobs.get(invoice.pdf_ref or ""),
                               app.blobs.get(invoice.ubl_ref or ""), self.mailer.from_address)
        outcome = send_once(self.mailer, self.ledger, f"invoice:{invoice.id}", message)
        if outcome.error is not None:
            return app.record_invoice_send(firm_id, client_id, invoice_id, by,
                                           recipient=recipient, failure=outcome.error)
        log.info("invoice sent", invoice_id=str(invoice.id), backend=self.mailer.kind,
                 again=outcome.already)
        return app.record_invoice_send(firm_id, client_id, invoice_id, by,
                                       recipient=recipient,
                                       message_id=str(message["Message-ID"]))


class InvoiceSending:
    """One "Send": over Peppol to a participant, else by e-mail; an SML that did not
    answer fails the send with the reason (it may be sent again), never e-mails
    instead."""

    def __init__(self, app: LucyApplication, mail: InvoiceMail, peppol: InvoicePeppol) -> None:
        self.app, self.mail, self.peppol = app, mail, peppol

    def send(self, firm_id: UUID, client_id: UUID, invoice_id: UUID, by: Actor) -> Invoice:
        invoice = self.app.invoice(firm_id, client_id, invoice_id, by)
        invoice.check_sendable()
        ubl = self.app.blobs.get(invoice.ubl_ref or "")
        reach = self.peppol.reach(invoice, ubl)
        if reach.unknown:
            return self.app.record_invoice_send(
                firm_id, client_id, invoice_id, by, channel="peppol",
                recipient=invoice.customer.get("vat") or invoice.customer["name"],
                failure=reach.unknown)
        if reach.participant:
            return self.peppol.send(invoice, ubl, reach.participant, by)
        return self.mail.send(firm_id, client_id, invoice_id, by)
