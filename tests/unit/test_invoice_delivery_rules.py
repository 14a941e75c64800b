"""An issued invoice on its way over Peppol, without I/O: Sent, then Delivered or Failed
as the access point reports; its delivery key (the envelope's InstanceIdentifier) stays
the same until a reported failure, so sending again after a crash is recognised; the
envelope carries what the Peppol Envelope Specification asks for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lucy_events.aggregates.invoice_rules import InvoiceAlreadySent, InvoiceNotInTransit
from lucy_events.invoicing.peppol_sending import receives
from lucy_events.peppol.lookup import Registration
from lucy_events.peppol.sbdh import Envelope, read_header, wrap
from lucy_events.peppol.xml import parse_untrusted, ubl_document
from tests.peppol_invoices import belgian
from tests.peppol_support import INVOICE
from tests.unit.test_invoice_rules import BY, _draft, _issue

BUYER = "0208:0202239951"


def _issued():
    invoice = _draft()
    _issue(invoice)
    return invoice


def test_an_invoice_sent_over_peppol_is_delivered_when_the_access_point_says_so():
    invoice = _issued()
    key = invoice.delivery_key
    assert key == invoice.delivery_key and key != _issued().delivery_key
    invoice.record_sent(channel="peppol", recipient=BUYER, message_id="tx-1", by=BY)
    assert (invoice.status, invoice.sent_via, invoice.transmission_id) == (
        "Sent", "peppol", "tx-1")
    with pytest.raises(InvoiceAlreadySent):
        invoice.check_sendable()
    invoice.record_delivered(by=BY)
    assert invoice.status == "Delivered"
    with pytest.raises(InvoiceNotInTransit):
        invoice.record_delivered(by=BY)
    with pytest.raises(InvoiceAlreadySent):
        invoice.record_sent(channel="peppol", recipient=BUYER, message_id="tx-2", by=BY)


def test_a_delivery_failure_keeps_its_reason_and_the_next_send_is_a_new_transmission():
    invoice = _issued()
    first_key = invoice.delivery_key
    invoice.record_sent(channel="peppol", recipient=BUYER, message_id="tx-1", by=BY)
    invoice.record_delivery_failed(reason="receiver unreachable", by=BY)
    assert (invoice.status, invoice.send_failure) == ("Failed", "receiver unreachable")
    assert invoice.delivery_key != first_key
    invoice.check_sendable()  # may be sent again
    invoice.record_sent(channel="peppol", recipient=BUYER, message_id="tx-2", by=BY)
    assert invoice.transmission_id == "tx-2" and invoice.status == "Sent"


def test_an_invoice_sent_by_email_or_not_sent_has_no_delivery_to_record():
    draft = _draft()
    with pytest.raises(InvoiceNotInTransit):
        draft.record_delivered(by=BY)
    mailed = _issued()
    mailed.record_sent(channel="email", recipient="ap@x.example", message_id="<m>", by=BY)
    assert mailed.status == "Sent" and mailed.transmission_id is None
    with pytest.raises(InvoiceNotInTransit):
        mailed.record_delivery_failed(reason="?", by=BY)
    failed = _issued()
    failed.record_send_failed(channel="peppol", recipient=BUYER, reason="HTTP 503", by=BY)
    assert failed.status == "Failed"
    with pytest.raises(InvoiceNotInTransit):
        failed.record_delivered(by=BY)


def test_the_envelope_names_both_participants_the_instance_and_the_bis3_document_type():
    ubl = belgian(supplier="0403170701", customer="0202239951")
    sent = wrap(ubl, Envelope("0208:0403170701", BUYER, "key-1", "BE",
                              datetime(2026, 12, 1, 9, tzinfo=UTC)))
    header = read_header(sent)
    assert (header.sender, header.receiver, header.instance_identifier) == (
        "0208:0403170701", BUYER, "key-1")
    assert "busdox-docid-qns::" + header.document_type_id == INVOICE
    assert header.process_id == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    root = parse_untrusted(sent)
    assert ubl_document(root).tag.endswith("}Invoice")
    assert b"<Type>COUNTRY_C1</Type><InstanceIdentifier>BE</InstanceIdentifier>" in sent
    assert b"<CreationDateAndTime>2026-12-01T09:00:00Z</CreationDateAndTime>" in sent


@pytest.mark.parametrize(("registration", "expected"), [
    (Registration(BUYER, True, "https://smp.example/", [INVOICE]), True),
    (Registration(BUYER, True, "https://smp.example/", [INVOICE.replace(
        "Invoice-2::Invoice", "CreditNote-2::CreditNote")]), False),
    (Registration(BUYER, True, "https://smp.example/", [], unreachable="SMP away"), True),
    (Registration(BUYER, False), False),
])
def test_a_participant_receives_what_its_smp_lists_or_anything_when_the_smp_was_away(
        registration, expected):
    assert receives(registration, INVOICE.removeprefix("busdox-docid-qns::")) is expected
