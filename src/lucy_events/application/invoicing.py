"""Invoice commands: draft, edit, issue (number, PDF, UBL validated, a sales Document in
the client's Inbox, all in one save), and credit notes that correct an issued invoice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.errors import ConcurrencyConflict
from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_numbers import InvoiceNumbers
from lucy_events.aggregates.invoice_rules import (
    InvoiceNotFound,
    InvoiceSettingsMissing,
    structured_communication,
)
from lucy_events.application.base import CommandsBase
from lucy_events.invoicing.rendering import rendered
from lucy_events.invoicing.ubl import Issue
from lucy_events.retries import INVOICE_NUMBER_CONFLICTS

if TYPE_CHECKING:
    from lucy_events.aggregates.client import Client
    from lucy_events.aggregates.invoice_settings import InvoiceSettings

_DOCUMENTS = uuid5(NAMESPACE_URL, "https://lucy-events/issued-invoice-documents")


def document_id_for(invoice_id: UUID) -> UUID:
    """The Inbox document an issued invoice becomes (derived: issued at most once)."""
    return uuid5(_DOCUMENTS, str(invoice_id))


class InvoicingCommands(CommandsBase):
    if TYPE_CHECKING:  # provided by InvoiceSettingsCommands in LucyApplication
        def _invoice_settings(self, firm_id: UUID, client_id: UUID, by: Actor
                              ) -> tuple[Client, InvoiceSettings | None]: ...

    def invoice(self, firm_id: UUID, client_id: UUID, invoice_id: UUID, by: Actor) -> Invoice:
        self.client(firm_id, client_id, by)
        invoice = self._load(Invoice, invoice_id, InvoiceNotFound)
        if invoice.client_id != client_id:
            raise InvoiceNotFound(f"no invoice {invoice_id}")
        return invoice

    def _due(self, firm_id: UUID, client_id: UUID, due_date: date | None, by: Actor
             ) -> date | None:
        if due_date is not None:
            return due_date
        _, settings = self._invoice_settings(firm_id, client_id, by)
        days = settings.values.payment_terms_days if settings and settings.values else 30
        return self.clock().date() + timedelta(days=days)

    def draft_invoice(self, firm_id: UUID, client_id: UUID, values: Mapping[str, Any],
                      by: Actor) -> Invoice:
        """``values``: customer, lines, adjustments, due_date (default: the settings'
        payment terms from today), note."""
        invoice = Invoice.draft(
            invoice_id=uuid4(), firm_id=firm_id, client_id=client_id, by=by,
            **_draft_values(values, self._due(firm_id, client_id, values.get("due_date"), by)))
        self.save(invoice)
        return invoice

    def edit_invoice(self, firm_id: UUID, client_id: UUID, invoice_id: UUID,
                     values: Mapping[str, Any], by: Actor) -> Invoice:
        def command() -> Invoice:
            invoice = self.invoice(firm_id, client_id, invoice_id, by)
            due = values.get("due_date") if invoice.kind == "credit-note" else self._due(
                firm_id, client_id, values.get("due_date"), by)
            invoice.edit(by=by, **_draft_values(values, due))
            self.save(invoice)
            return invoice

        return self._run(command)

    def draft_credit_note(self, firm_id: UUID, client_id: UUID, invoice_id: UUID,
                          values: Mapping[str, Any], by: Actor) -> Invoice:
        """A draft credit note correcting the issued invoice; its lines, allowances and
        charges are the invoice's unless ``values`` gives lines (a partial credit)."""
        credited = self.invoice(firm_id, client_id, invoice_id, by)
        given = {k: v for k, v in values.items() if v}
        merged = {"customer": credited.customer, "lines": credited.lines,
                  "adjustments": [] if "lines" in given else credited.adjustments, **given}
        credit_note = Invoice.draft(invoice_id=uuid4(), firm_id=firm_id, client_id=client_id,
                                    by=by, kind="credit-note", credits=credited,
                                    **_draft_values(merged, values.get("due_date")))
        self.save(credit_note)
        return credit_note

    def issue_invoice(self, firm_id: UUID, client_id: UUID, invoice_id: UUID, by: Actor,
                      issue_date: date | None = None) -> Invoice:
        """Number, render, validate and issue; a broken rule raises InvoiceRulesBroken
        and nothing is saved (the number stays free)."""
        try:
            return INVOICE_NUMBER_CONFLICTS.copy()(
                self._issue, firm_id, client_id, invoice_id, by, issue_date)
        except IntegrityError:
            raise ConcurrencyConflict("too many invoices were issued at once; "
                                      "try again") from None

    def _issue(self, firm_id: UUID, client_id: UUID, invoice_id: UUID, by: Actor,
               issue_date: date | None) -> Invoice:
        invoice = self.invoice(firm_id, client_id, invoice_id, by)
        invoice._check_draft()
        _, settings = self._invoice_settings(firm_id, client_id, by)
        if settings is None or settings.values is None:
            raise InvoiceSettingsMissing("save the invoice settings (seller, IBAN) first")
        values = settings.values
        day = issue_date or self.clock().date()
        numbers = self._numbers(firm_id, client_id, day.year, by)
        sequence = numbers.take(invoice.id, by)
        issue = Issue(values.number(day.year, sequence), day,
                      structured_communication((day.year % 100) * 10**8 + sequence),
                      values.seller, values.iban, values.bic)
        logo = ((self.blobs.get(values.logo_ref), values.logo_media_type or "image/png")
                if values.logo_ref else None)
        output = rendered(invoice, issue, values.language, logo)
        document = self._sales_document(invoice, issue, output.ubl, output.pdf, by)
        document.record_peppol_validation(
            output.validation.rules, [], [f.as_dict() for f in output.validation.warnings], by)
        ubl_ref = document.blob_ref
        invoice.issue(number=issue.number, issue_date=day,
                      structured_communication=issue.structured_communication,
                      seller=values.seller, language=values.language, ubl_ref=ubl_ref,
                      pdf_ref=document.rendition_ref or "", document_id=document.id, by=by)
        self.save(invoice, numbers, document)
        return invoice

    def record_invoice_send(self, firm_id: UUID, client_id: UUID, invoice_id: UUID,
                            by: Actor, *, recipient: str, message_id: str | None = None,
                            failure: str | None = None, channel: str = "email") -> Invoice:
        """The outcome of sending (by e-mail or over Peppol): sent (its Message-ID or
        transmission id) or failed (why)."""
        def command() -> Invoice:
            invoice = self.invoice(firm_id, client_id, invoice_id, by)
            if failure is None:
                invoice.record_sent(channel=channel, recipient=recipient,
                                    message_id=message_id or "", by=by)
            else:
                invoice.record_send_failed(channel=channel, recipient=recipient,
                                           reason=failure, by=by)
            self.save(invoice)
            return invoice

        return self._run(command)

    def record_invoice_delivery(self, firm_id: UUID, client_id: UUID, invoice_id: UUID,
                                by: Actor, *, failure: str | None = None) -> Invoice:
        """What the Peppol access point reported: delivered, or failed (why)."""
        def command() -> Invoice:
            invoice = self.invoice(firm_id, client_id, invoice_id, by)
            if failure is None:
                invoice.record_delivered(by=by)
            else:
                invoice.record_delivery_failed(reason=failure, by=by)
            self.save(invoice)
            return invoice

        return self._run(command)

    def _numbers(self, firm_id: UUID, client_id: UUID, year: int, by: Actor
                 ) -> InvoiceNumbers:
        try:
            numbers: Any = self.repository.get(InvoiceNumbers.id_for(client_id, year))
        except AggregateNotFoundError:
            return InvoiceNumbers.start(firm_id=firm_id, client_id=client_id, year=year, by=by)
        assert isinstance(numbers, InvoiceNumbers)
        return numbers

    def _sales_document(self, invoice: Invoice, issue: Issue, ubl: bytes, pdf: bytes,
                        by: Actor) -> Document:
        """The issued invoice as a sales document in the client's Inbox: its UBL is the
        content (recognition reads it), its PDF the rendition."""
        blob = self.blobs.put(ubl)
        seller = issue.seller
        document = Document.receive(
            document_id=document_id_for(invoice.id), firm_id=invoice.firm_id,
            client_id=invoice.client_id, channel="invoicing", file_name=f"{issue.number}.xml",
            media_type="application/xml", size=blob.size, sha256=blob.sha256,
            blob_ref=blob.ref, document_type=f"sales-{invoice.kind}",
            sender=f"0208:{seller['enterprise_number']}" if seller.get("enterprise_number")
            else None, by=by)
        rendition = self.blobs.put(pdf)
        document.attach_rendition(f"{issue.number}.pdf", "application/pdf", rendition.size,
                                  rendition.sha256, rendition.ref, by)
        return document


def _draft_values(values: Mapping[str, Any], due_date: date | None) -> dict[str, Any]:
    lines: Sequence[Mapping[str, object]] = values.get("lines") or []
    return {"customer": values.get("customer") or {}, "lines": lines,
            "adjustments": values.get("adjustments") or [], "due_date": due_date,
            "note": values.get("note")}
