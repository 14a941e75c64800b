"""Sending an issued invoice over Peppol, and learning whether it was delivered.

Whether the customer receives over Peppol is asked of the SML/SMP with the onboarding's
lookup (``PeppolLookup.company``: its 0208 and 9925 ids at once): a participant whose SMP
lists the BIS 3 document type (or whose SMP did not answer: the access point asks it
again) is sent to over Peppol; a company that is not registered gets the e-mail. An SML
that did not answer is not taken as "not registered": the send fails with the reason,
and may be tried again.

The UBL goes inside a Standard Business Document header (``peppol.sbdh``) whose
InstanceIdentifier is the invoice's delivery key (``Invoice.delivery_key``, derived from
the invoice id), to the firm's access point (``peppol.access_point``), with the router's
delivery retry policy. Every attempt first asks the access point whether it already has
that InstanceIdentifier, and the access point refuses a second copy, so a crash between
its accepting the document and our recording it never sends the invoice twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import structlog
from tenacity import Retrying

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import COUNTRIES, CompanyNumbers
from lucy_events.aggregates.invoice import Invoice
from lucy_events.application import LucyApplication
from lucy_events.peppol.access_point import DELIVERED, FAILED
from lucy_events.peppol.lookup import PeppolLookup, Registration
from lucy_events.peppol.parties import parties
from lucy_events.peppol.sbdh import DOCUMENT_SCHEME, Envelope, document_type_id, wrap
from lucy_events.peppol.sending_setup import PeppolSending
from lucy_events.peppol.xml import parse_untrusted
from lucy_events.routers.integrations.base import DeliveryError

log = structlog.get_logger()
NO_ACCESS_POINT = ("the customer receives invoices over Peppol, but the firm has no Peppol "
                   "access point for sending yet: an admin sets one up (PUT "
                   "/api/v1/peppol/sending, or `lucy-events peppol sending --endpoint URL`)")


@dataclass(frozen=True)
class Reach:
    """How the customer is reached: its Peppol participant id, or None (by e-mail);
    ``unknown`` says why it could not be told."""

    participant: str | None
    unknown: str | None = None


def receives(registration: Registration, document_type: str) -> bool:
    """A registered participant receives the document type when its SMP lists it, or
    when its SMP could not be asked (the access point asks it again)."""
    if not registration.registered:
        return False
    if not registration.document_types:
        return True
    wanted = f"{DOCUMENT_SCHEME}::{document_type}".lower()
    return any(t.lower() in (wanted, document_type.lower())
               for t in registration.document_types)


class InvoicePeppol:
    def __init__(self, app: LucyApplication, lookup: PeppolLookup, sending: PeppolSending,
                 retrying: Callable[[], Retrying]) -> None:
        self.app, self.lookup, self.sending, self.retrying = app, lookup, sending, retrying

    def reach(self, invoice: Invoice, ubl: bytes) -> Reach:
        customer = invoice.customer
        country = customer.get("country", "")
        if country not in COUNTRIES:
            return Reach(None)
        ids = CompanyNumbers(country, customer.get("enterprise_number") or None,
                             customer.get("vat") or None)
        if not ids.peppol_participant_ids:
            return Reach(None)
        registrations = self.lookup.company(ids.country, ids.enterprise_number,
                                            ids.vat_number)
        document_type = document_type_id(parse_untrusted(ubl, "ubl"))
        for found in registrations:
            if receives(found, document_type):
                return Reach(found.participant)
        unreachable = [r.unreachable for r in registrations if r.unreachable]
        if unreachable:
            return Reach(None, f"could not check whether the customer receives over "
                               f"Peppol: {unreachable[0]}")
        return Reach(None)

    def send(self, invoice: Invoice, ubl: bytes, participant: str, by: Actor) -> Invoice:
        """Hand the invoice to the firm's access point; Sent (its transmission id) or
        Failed (why)."""
        app = self.app
        ids = (invoice.firm_id, invoice.client_id, invoice.id)
        access_point = self.sending.access_point(invoice.firm_id)
        if access_point is None:
            return app.record_invoice_send(*ids, by, channel="peppol", recipient=participant,
                                           failure=NO_ACCESS_POINT)
        root = parse_untrusted(ubl, "ubl")
        sender = parties(root, root).supplier_ids[0]
        key = invoice.delivery_key
        document = wrap(ubl, Envelope(sender, participant, key,
                                      invoice.seller.get("country", "BE"), app.clock()))
        try:
            transmission = self.retrying()(access_point.submit_once, key, document)
        except DeliveryError as error:
            log.warning("invoice not sent over Peppol", invoice_id=str(invoice.id),
                        reason=error.reason)
            return app.record_invoice_send(*ids, by, channel="peppol", recipient=participant,
                                           failure=error.reason)
        log.info("invoice sent over Peppol", invoice_id=str(invoice.id),
                 transmission_id=transmission.transmission_id, again=transmission.existing)
        return app.record_invoice_send(*ids, by, channel="peppol", recipient=participant,
                                       message_id=transmission.transmission_id)

    def check_delivery(self, firm_id: UUID, client_id: UUID, invoice_id: UUID,
                       by: Actor) -> Invoice:
        """Ask the access point about a Sent invoice: Delivered, Failed (why), or still
        Sent while it is on its way."""
        app = self.app
        invoice = app.invoice(firm_id, client_id, invoice_id, by)
        if invoice.status != "Sent" or invoice.sent_via != "peppol":
            return invoice
        access_point = self.sending.access_point(firm_id)
        if access_point is None or invoice.transmission_id is None:
            return invoice
        try:
            transmission = self.retrying()(access_point.status, invoice.transmission_id)
        except DeliveryError as error:  # asked again at the next check
            log.warning("Peppol delivery status not read", invoice_id=str(invoice_id),
                        reason=error.reason)
            return invoice
        if transmission.status == DELIVERED:
            return app.record_invoice_delivery(firm_id, client_id, invoice_id, by)
        if transmission.status == FAILED:
            return app.record_invoice_delivery(
                firm_id, client_id, invoice_id, by,
                failure=transmission.reason or "the access point reported a failure")
        return invoice
