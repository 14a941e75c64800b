"""An issued invoice e-mailed to its customer through the outgoing-mail backend (a real
SMTP server): the PDF with the UBL attached, once; a relay that is away leaves the
invoice Failed with the reason, and it is sent when the relay is back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from lucy_events.aggregates.invoice_rules import InvoiceAlreadySent, InvoiceNotIssued
from lucy_events.peppol.validation import validate
from tests.integration.onboarding.conftest import Site, _site, settings_for
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values
from tests.mail_support import Inbox, _free_port, _Handler


@pytest.fixture
def relay() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox(_free_port())
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=inbox.port)
    yield inbox, controller
    with contextlib.suppress(AssertionError):  # never started when the test failed early
        controller.stop()


@pytest.fixture
def site(tmp_path: Path, relay) -> Iterator[Site]:
    yield from _site(settings_for(tmp_path, relay[0].relay_url))


def test_an_issued_invoice_is_emailed_once_with_its_pdf_and_ubl(site: Site, relay):
    inbox, controller = relay
    app, office = site.services.app, site.office
    client_id = office.new_client()
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
    draft = app.draft_invoice(office.firm_id, client_id, draft_values(), office.admin)
    mail = site.services.invoice_mail()
    with pytest.raises(InvoiceNotIssued):
        mail.send(office.firm_id, client_id, draft.id, office.accountant)
    app.issue_invoice(office.firm_id, client_id, draft.id, office.admin)

    failed = mail.send(office.firm_id, client_id, draft.id, office.accountant)  # relay away
    assert failed.status == "Failed" and failed.send_failure
    assert inbox.received == []

    controller.start()
    sent = mail.send(office.firm_id, client_id, draft.id, office.accountant)
    assert (sent.status, sent.sent_to) == ("Sent", CUSTOMER["email"])
    [message] = inbox.to(CUSTOMER["email"])
    assert message["Subject"] == f"Factuur {sent.number} - Bakkerij Claes"
    attachments = {part.get_filename(): part.get_content() for part in
                   message.iter_attachments()}
    assert set(attachments) == {f"{sent.number}.pdf", f"{sent.number}.xml"}
    assert attachments[f"{sent.number}.pdf"][:4] == b"%PDF"
    ubl = attachments[f"{sent.number}.xml"]
    assert validate(ubl if isinstance(ubl, bytes) else ubl.encode()).valid
    with pytest.raises(InvoiceAlreadySent):
        mail.send(office.firm_id, client_id, draft.id, office.admin)
    assert len(inbox.received) == 1

    browser = site.signed_in()
    site.settle()
    page = browser.get(f"/clients/{client_id}/invoices").get_data(as_text=True)
    assert sent.number in page and "Send by e-mail" not in page
