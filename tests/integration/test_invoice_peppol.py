"""Issued invoices sent over Peppol to a customer the SML/SMP knows, through the firm's
access point (a local HTTP server speaking the provider's API), in a Standard Business
Document header; delivered when the access point says so; never sent twice, even when
the answer to a post was lost; by e-mail when the customer is not on Peppol."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import pytest
from lxml import etree

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.invoice_rules import InvoiceAlreadySent
from lucy_events.peppol.sbdh import Envelope, read_header, wrap
from lucy_events.peppol.validation import validate
from lucy_events.peppol.xml import parse_untrusted, ubl_document
from tests.access_point_support import TOKEN, LocalAccessPoint, local_access_point
from tests.integration.onboarding.conftest import Site, _site, settings_for
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values
from tests.peppol_support import INVOICE, ZONE, LocalSml, Smp, peppol_directory

CREDIT_NOTE = INVOICE.replace("Invoice-2::Invoice", "CreditNote-2::CreditNote")
BUYER = f"0208:{CUSTOMER['enterprise_number']}"


@pytest.fixture
def directory() -> Iterator[tuple[LocalSml, Smp]]:
    with peppol_directory() as found:
        yield found


@pytest.fixture
def access_point() -> Iterator[LocalAccessPoint]:
    with local_access_point() as ap:
        yield ap


@pytest.fixture
def site(tmp_path: Path, directory: tuple[LocalSml, Smp]) -> Iterator[Site]:
    sml, _ = directory
    settings = replace(settings_for(tmp_path), dns_resolver=sml.address,
                       peppol_sml_zone=ZONE, peppol_lookup_timeout=1.0)
    yield from _site(settings)


def _register_buyer(directory: tuple[LocalSml, Smp]) -> None:
    sml, smp = directory
    sml.register(BUYER, smp.url + "/")
    smp.groups[BUYER] = [INVOICE, CREDIT_NOTE]


def _issued(site: Site, **overrides: object):
    app, office = site.services.app, site.office
    client_id = office.new_client()
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
    draft = app.draft_invoice(office.firm_id, client_id, draft_values(**overrides),
                              office.admin)
    return client_id, app.issue_invoice(office.firm_id, client_id, draft.id, office.admin)


def _ready(site: Site, directory: tuple[LocalSml, Smp], access_point: LocalAccessPoint):
    """The buyer on Peppol, the firm's access point set up, an invoice issued."""
    _register_buyer(directory)
    office, services = site.office, site.services
    services.peppol_sending().configure(office.firm_id, access_point.url, TOKEN)
    client_id, invoice = _issued(site)
    return office, services, client_id, invoice


def test_an_invoice_to_a_peppol_participant_goes_in_an_sbd_to_the_access_point_and_is_delivered(
        site: Site, directory, access_point: LocalAccessPoint):
    office, services, client_id, invoice = _ready(site, directory, access_point)

    sent = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                           office.accountant)
    assert (sent.status, sent.sent_via, sent.sent_to) == ("Sent", "peppol", BUYER)
    [transmission] = access_point.transmissions.values()
    assert sent.transmission_id == transmission.transmission_id
    header = transmission.header
    assert (header.sender, header.receiver) == ("0208:0403170701", BUYER)
    assert header.instance_identifier == sent.delivery_key
    assert header.document_type_id == INVOICE.removeprefix("busdox-docid-qns::")
    assert header.process_id == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    ubl = ubl_document(parse_untrusted(transmission.document))
    assert validate(etree.tostring(ubl)).valid
    with pytest.raises(InvoiceAlreadySent):
        services.invoice_sending().send(office.firm_id, client_id, invoice.id, office.admin)

    checks = services.invoice_delivery_checks()
    site.settle()
    assert checks.run_once() == 0  # on its way: still Sent
    access_point.deliver(transmission.transmission_id)
    assert checks.run_once() == 1
    delivered = services.app.invoice(office.firm_id, client_id, invoice.id, office.admin)
    assert delivered.status == "Delivered"
    site.settle()
    page = site.signed_in().get(f"/clients/{client_id}/invoices").get_data(as_text=True)
    assert "Delivered" in page
    assert access_point.posts == [sent.delivery_key]


def test_a_lost_answer_never_sends_the_invoice_twice(
        site: Site, directory, access_point: LocalAccessPoint):
    office, services, client_id, invoice = _ready(site, directory, access_point)
    access_point.lose_answers = 1  # the provider takes it; the answer never arrives

    sent = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                           office.accountant)
    assert sent.status == "Sent"
    assert len(access_point.transmissions) == 1 and access_point.posts == [sent.delivery_key]
    assert sent.transmission_id == "tx-1"


def test_after_a_crash_the_access_point_is_asked_before_posting_again(
        site: Site, directory, access_point: LocalAccessPoint):
    _register_buyer(directory)
    office, services = site.office, site.services
    setup = services.peppol_sending()
    setup.configure(office.firm_id, access_point.url, TOKEN)
    client_id, invoice = _issued(site)
    # A process posted the envelope and died before recording it.
    point = setup.access_point(office.firm_id)
    assert point is not None
    document = wrap(services.app.blobs.get(invoice.ubl_ref or ""), Envelope(
        "0208:0403170701", BUYER, invoice.delivery_key, "BE", services.app.clock()))
    first = point.submit(invoice.delivery_key, document)

    sent = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                           office.accountant)
    assert sent.transmission_id == first.transmission_id
    assert access_point.posts == [invoice.delivery_key]  # asked, not posted again


def test_an_access_point_that_is_away_leaves_the_invoice_failed_and_it_is_sent_later(
        site: Site, directory, access_point: LocalAccessPoint):
    office, services, client_id, invoice = _ready(site, directory, access_point)
    access_point.down = True
    failed = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                             office.accountant)
    assert failed.status == "Failed" and "HTTP 503" in (failed.send_failure or "")
    access_point.down = False
    sent = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                           office.accountant)
    assert sent.status == "Sent" and len(access_point.transmissions) == 1


def test_a_delivery_the_access_point_reports_failed_is_sent_again_as_a_new_transmission(
        site: Site, directory, access_point: LocalAccessPoint):
    office, services, client_id, invoice = _ready(site, directory, access_point)
    sending, peppol = services.invoice_sending(), services.invoice_peppol()
    sent = sending.send(office.firm_id, client_id, invoice.id, office.accountant)
    access_point.fail(sent.transmission_id or "", "receiver's access point unreachable")

    failed = peppol.check_delivery(office.firm_id, client_id, invoice.id, office.accountant)
    assert failed.status == "Failed"
    assert failed.send_failure == "receiver's access point unreachable"
    again = sending.send(office.firm_id, client_id, invoice.id, office.accountant)
    assert again.status == "Sent" and again.delivery_key != sent.delivery_key
    assert len(access_point.transmissions) == 2
    access_point.auto_deliver = True
    assert peppol.check_delivery(office.firm_id, client_id, invoice.id,
                                 office.admin).status == "Delivered"


def test_a_credit_note_goes_over_peppol_as_a_credit_note(
        site: Site, directory, access_point: LocalAccessPoint):
    _register_buyer(directory)
    office, services = site.office, site.services
    app = services.app
    services.peppol_sending().configure(office.firm_id, access_point.url, TOKEN)
    client_id, invoice = _issued(site)
    credit = app.draft_credit_note(office.firm_id, client_id, invoice.id, {}, office.admin)
    credit = app.issue_invoice(office.firm_id, client_id, credit.id, office.admin)
    sent = services.invoice_sending().send(office.firm_id, client_id, credit.id,
                                           office.accountant)
    assert sent.status == "Sent"
    [transmission] = access_point.transmissions.values()
    assert transmission.header.document_type_id == CREDIT_NOTE.removeprefix(
        "busdox-docid-qns::")
    assert read_header(transmission.document).receiver == BUYER


def test_a_customer_not_on_peppol_gets_the_invoice_by_email(
        site: Site, directory, access_point: LocalAccessPoint):
    office, services = site.office, site.services
    services.peppol_sending().configure(office.firm_id, access_point.url, TOKEN)
    client_id, invoice = _issued(site)
    sent = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                           office.accountant)
    assert (sent.status, sent.sent_via, sent.sent_to) == ("Sent", "email", CUSTOMER["email"])
    assert access_point.posts == []
    outbox = services.outbox()
    assert outbox is not None and len(outbox.entries()) == 1


def test_an_sml_that_does_not_answer_fails_the_send_with_the_reason(
        site: Site, directory, access_point: LocalAccessPoint):
    sml, _ = directory
    office, services = site.office, site.services
    client_id, invoice = _issued(site)
    sml.naptr.silent = True
    failed = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                             office.accountant)
    assert failed.status == "Failed"
    assert "could not check whether the customer receives over Peppol" in (
        failed.send_failure or "")
    outbox = services.outbox()
    assert outbox is not None and outbox.entries() == []


def test_a_participant_without_the_firms_access_point_fails_saying_what_to_set_up(
        site: Site, directory):
    _register_buyer(directory)
    office, services = site.office, site.services
    client_id, invoice = _issued(site)
    failed = services.invoice_sending().send(office.firm_id, client_id, invoice.id,
                                             office.accountant)
    assert failed.status == "Failed"
    assert "no Peppol access point for sending" in (failed.send_failure or "")


def test_the_access_point_token_is_kept_encrypted_and_a_wrong_endpoint_is_refused(
        site: Site):
    office, services = site.office, site.services
    setup = services.peppol_sending()
    with pytest.raises(InvalidValue) as refused:
        setup.configure(office.firm_id, "ftp://ap.example", TOKEN)
    assert refused.value.field == "endpoint"
    with pytest.raises(InvalidValue) as missing:
        setup.configure(office.firm_id, "https://ap.example/api", "")
    assert missing.value.field == "token"
    saved = setup.configure(office.firm_id, "https://ap.example/api", TOKEN)
    assert saved.as_dict() == {"endpoint": "https://ap.example/api", "has_token": True}
    kept = setup.configure(office.firm_id, "https://ap2.example/api", "")
    assert kept.has_token
    with services.read_db.transaction() as tx:
        stored = " ".join(str(r) for r in tx.execute("SELECT * FROM lucy_secrets"))
        stored += " ".join(str(r) for r in tx.execute("SELECT * FROM peppol_sending"))
    assert TOKEN not in stored


def test_an_admin_sets_up_the_access_point_on_the_packages_page(site: Site):
    office = site.office
    admin = site.signed_in()
    page = admin.get("/packages").get_data(as_text=True)
    assert "Peppol access point (sending invoices)" in page and "Not set up" in page
    wrong = site.post(admin, "/peppol-sending", endpoint="ftp://ap.example", token=TOKEN)
    assert wrong.status_code == 422
    assert 'id="peppol-sending-endpoint-error"' in wrong.get_data(as_text=True)
    saved = site.post(admin, "/peppol-sending", endpoint="https://ap.example/api",
                      token=TOKEN)
    assert saved.status_code == 303
    page = admin.get("/packages").get_data(as_text=True)
    assert "Set up: https://ap.example/api" in page and TOKEN not in page
    assert site.services.peppol_sending().setup(office.firm_id).has_token
    accountant = site.signed_in(UUID(office.accountant.id))
    refused = site.post(accountant, "/peppol-sending", endpoint="https://x.example",
                        token="t")
    assert refused.status_code == 403
