"""A sales invoice or credit note a client issues: drafted, edited while a draft,
issued once with its number, and never changed after (corrections are credit notes,
which reference the invoice they correct).

Amounts travel as strings and are computed as ``Decimal`` (``invoice_rules.totals``).
What the invoice says at issue (seller, language, payment account) is copied into
``InvoiceIssued``, so later changes to the invoice settings never alter it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.invoice_rules import (
    KINDS,
    InvoiceAlreadyIssued,
    InvoiceAlreadySent,
    InvoiceNotInTransit,
    InvoiceNotIssued,
    checked_adjustment,
    checked_customer,
    checked_line,
    plain_text,
)
from lucy_events.aggregates.invoice_totals import Totals, totals

_DELIVERY_KEYS = uuid5(NAMESPACE_URL, "https://lucy-events/invoice-peppol-deliveries")


def _draft(customer: Mapping[str, object], lines: Sequence[Mapping[str, object]],
           adjustments: Sequence[Mapping[str, object]], due_date: date | None,
           note: str | None) -> dict[str, Any]:
    if not lines:
        raise InvalidValue("lines", "an invoice needs at least one line")
    return {"customer": checked_customer(customer),
            "lines": [checked_line(line, i) for i, line in enumerate(lines)],
            "adjustments": [checked_adjustment(a, i) for i, a in enumerate(adjustments)],
            "due_date": due_date, "note": plain_text(note, "note", 1000) or None}


class Invoice(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class InvoiceDrafted(Event, Aggregate.Created):
        invoice_kind: str
        credited_invoice_id: UUID | None
        credited_number: str | None
        customer: dict[str, str]
        lines: list[dict[str, str]]
        adjustments: list[dict[str, str]]
        due_date: date | None
        note: str | None
        currency: str

    class InvoiceDraftChanged(Event):
        customer: dict[str, str]
        lines: list[dict[str, str]]
        adjustments: list[dict[str, str]]
        due_date: date | None
        note: str | None

        def apply(self, invoice: Invoice) -> None:
            invoice.customer = dict(self.customer)
            invoice.lines = [dict(line) for line in self.lines]
            invoice.adjustments = [dict(a) for a in self.adjustments]
            invoice.due_date = self.due_date
            invoice.note = self.note

    class InvoiceIssued(Event):
        number: str
        issue_date: date
        structured_communication: str
        seller: dict[str, str]
        language: str
        total_excl_vat: str
        total_vat: str
        total_incl_vat: str
        ubl_ref: str
        pdf_ref: str
        document_id: UUID

        def apply(self, invoice: Invoice) -> None:
            invoice.number = self.number
            invoice.issue_date = self.issue_date
            invoice.structured_communication = self.structured_communication
            invoice.seller = dict(self.seller)
            invoice.language = self.language
            invoice.ubl_ref = self.ubl_ref
            invoice.pdf_ref = self.pdf_ref
            invoice.document_id = self.document_id

    class InvoiceSent(Event):
        via: str
        recipient: str
        message_id: str

        def apply(self, invoice: Invoice) -> None:
            invoice.sent_to = self.recipient
            invoice.send_failure = None
            invoice.sent_via = self.via
            invoice.transmission_id = self.message_id if self.via == "peppol" else None

    class InvoiceSendFailed(Event):
        via: str
        recipient: str
        reason: str

        def apply(self, invoice: Invoice) -> None:
            invoice.send_failure = self.reason

    class InvoiceDelivered(Event):
        transmission_id: str
        recipient: str

        def apply(self, invoice: Invoice) -> None:
            invoice.delivered = True

    class InvoiceDeliveryFailed(Event):
        transmission_id: str
        recipient: str
        reason: str

        def apply(self, invoice: Invoice) -> None:
            invoice.send_failure = self.reason
            invoice.sent_to = None
            invoice.transmission_id = None
            invoice.failed_deliveries += 1

    @event(InvoiceDrafted)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID, invoice_kind: str,
                 credited_invoice_id: UUID | None, credited_number: str | None,
                 customer: dict[str, str], lines: list[dict[str, str]],
                 adjustments: list[dict[str, str]], due_date: date | None,
                 note: str | None, currency: str) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.kind = invoice_kind
        self.credited_invoice_id = credited_invoice_id
        self.credited_number = credited_number
        self.customer = dict(customer)
        self.lines = [dict(line) for line in lines]
        self.adjustments = [dict(a) for a in adjustments]
        self.due_date = due_date
        self.note = note
        self.currency = currency
        self.number: str | None = None
        self.issue_date: date | None = None
        self.structured_communication: str | None = None
        self.seller: dict[str, str] = {}
        self.language: str | None = None
        self.ubl_ref: str | None = None
        self.pdf_ref: str | None = None
        self.document_id: UUID | None = None
        self.sent_to: str | None = None
        self.send_failure: str | None = None
        self.sent_via: str | None = None
        self.transmission_id: str | None = None
        self.delivered = False
        self.failed_deliveries = 0

    @classmethod
    def draft(cls, *, invoice_id: UUID, firm_id: UUID, client_id: UUID,
              customer: Mapping[str, object], lines: Sequence[Mapping[str, object]],
              adjustments: Sequence[Mapping[str, object]] = (), due_date: date | None = None,
              note: str | None = None, by: Actor, kind: str = "invoice",
              credits: Invoice | None = None) -> Invoice:
        if kind not in KINDS:
            raise InvalidValue("kind", f"must be one of {', '.join(KINDS)}")
        if kind == "credit-note":
            if credits is None or credits.kind != "invoice":
                raise InvalidValue("credited_invoice_id", "a credit note corrects an invoice")
            if credits.number is None:
                raise InvoiceNotIssued("a draft is edited, not credited")
        return cls._create(
            cls.InvoiceDrafted, id=invoice_id, actor=str(by), firm_id=firm_id,
            client_id=client_id, invoice_kind=kind,
            credited_invoice_id=credits.id if credits else None,
            credited_number=credits.number if credits else None, currency="EUR",
            **_draft(customer, lines, adjustments, due_date, note))

    @property
    def issued(self) -> bool:
        return self.number is not None

    @property
    def status(self) -> str:
        """Draft, Issued, Sent, Delivered (the Peppol access point confirmed it), or
        Failed (sending or delivery failed; it may be sent again)."""
        if not self.issued:
            return "Draft"
        if self.delivered:
            return "Delivered"
        if self.sent_to:
            return "Sent"
        return "Failed" if self.send_failure else "Issued"

    @property
    def totals(self) -> Totals:
        return totals(self.lines, self.adjustments)

    def _check_draft(self) -> None:
        if self.issued:
            raise InvoiceAlreadyIssued(
                f"invoice {self.number} is issued and never changes; correct it with a "
                "credit note")

    def edit(self, *, customer: Mapping[str, object], lines: Sequence[Mapping[str, object]],
             adjustments: Sequence[Mapping[str, object]] = (), due_date: date | None = None,
             note: str | None = None, by: Actor) -> None:
        self._check_draft()
        self.trigger_event(self.InvoiceDraftChanged, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id,
                           **_draft(customer, lines, adjustments, due_date, note))

    def issue(self, *, number: str, issue_date: date, structured_communication: str,
              seller: Mapping[str, str], language: str, ubl_ref: str, pdf_ref: str,
              document_id: UUID, by: Actor) -> None:
        self._check_draft()
        if self.due_date is not None and self.due_date < issue_date:
            raise InvalidValue("due_date", "cannot be before the issue date")
        total = self.totals
        self.trigger_event(
            self.InvoiceIssued, actor=str(by), firm_id=self.firm_id, client_id=self.client_id,
            number=number, issue_date=issue_date,
            structured_communication=structured_communication, seller=dict(seller),
            language=language, total_excl_vat=f"{total.excl_vat:f}",
            total_vat=f"{total.vat:f}", total_incl_vat=f"{total.incl_vat:f}",
            ubl_ref=ubl_ref, pdf_ref=pdf_ref, document_id=document_id)

    def check_sendable(self) -> None:
        if not self.issued:
            raise InvoiceNotIssued("a draft is not sent: issue it first")
        if self.sent_to:
            raise InvoiceAlreadySent(f"{self.number} was sent to {self.sent_to} already")

    def record_sent(self, *, channel: str, recipient: str, message_id: str, by: Actor) -> None:
        self.check_sendable()
        self.trigger_event(self.InvoiceSent, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, via=channel, recipient=recipient,
                           message_id=message_id)

    def record_send_failed(self, *, channel: str, recipient: str, reason: str,
                           by: Actor) -> None:
        self.check_sendable()
        self.trigger_event(self.InvoiceSendFailed, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, via=channel, recipient=recipient,
                           reason=reason[:500])

    @property
    def delivery_key(self) -> str:
        """The InstanceIdentifier of the invoice's Peppol envelope: derived from the
        invoice, so sending again after a crash carries the same one (the access point
        has it already); a new one only after the access point reported the last one
        failed, so sending again is a new transmission."""
        return str(uuid5(_DELIVERY_KEYS, f"{self.id}:{self.failed_deliveries}"))

    def _check_in_transit(self) -> str:
        if self.sent_via != "peppol" or not self.transmission_id or self.delivered:
            raise InvoiceNotInTransit(f"{self.number} is not on its way over Peppol")
        return self.transmission_id

    def record_delivered(self, *, by: Actor) -> None:
        transmission_id = self._check_in_transit()
        self.trigger_event(self.InvoiceDelivered, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, transmission_id=transmission_id,
                           recipient=self.sent_to or "")

    def record_delivery_failed(self, *, reason: str, by: Actor) -> None:
        transmission_id = self._check_in_transit()
        self.trigger_event(self.InvoiceDeliveryFailed, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, transmission_id=transmission_id,
                           recipient=self.sent_to or "", reason=reason[:500])
