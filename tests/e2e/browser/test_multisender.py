"""A client user in Chromium: signs in to the portal, adds a destination on the
Integrations page, opens the confirmation link from the e-mail that reached a real SMTP
server, confirms, and sends a Sent document there with "Send to…"; the mail arrives
once, with the document, and the document stays Sent towards the accountant's package.
Its own site: the service from bootstrap with mail through LUCY_SMTP_RELAY, the
consumers (read models and delivery, the multisender's worker among them) in-process,
served over real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.web import create_app
from tests.e2e.browser.conftest import LAPTOP, Screens, expect
from tests.mail_support import _free_port
from tests.multisender_support import SteeredSmtp, confirmation_link, steered_smtp  # noqa: F401
from tests.portal_support import PASSWORD, active_client
from tests.support import Office, open_office

OCTOPUS = "inbox@octopus.example"


@pytest.fixture
def served(tmp_path: Path, steered_smtp: SteeredSmtp) -> Iterator[tuple[str, Services]]:  # noqa: F811
    port = _free_port()
    services = bootstrap(Settings.from_env({
        "LUCY_DATA_DIR": str(tmp_path), "LUCY_SMTP_RELAY": steered_smtp.relay_url,
        "LUCY_HTTP_PORT": str(port), "LUCY_SMTP_PORT": str(_free_port())}))
    consumers = services.consumer_runner(
        [*services.projection_handlers(), *services.delivery_handlers()], poll_timeout=0.05)
    consumers.start()
    server = make_server("127.0.0.1", port, create_app(services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="portal-http", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", services
    server.shutdown()
    consumers.stop()
    services.close()


@pytest.fixture
def window(browser: Any, served: tuple[str, Services]) -> Iterator[Any]:
    context = browser.new_context(viewport=LAPTOP, base_url=served[0])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_a_client_user_adds_a_destination_confirms_it_from_the_email_and_sends_a_sent_document(
        served: tuple[str, Services], window: Any, steered_smtp: SteeredSmtp,  # noqa: F811
        screens: Screens):
    url, services = served
    app = services.app
    office: Office = open_office(app)
    client_id, owner = active_client(app, services.read_db, office)
    app.link_integration(office.firm_id, client_id, "octopus", office.admin,
                         {"purchase_address": "purchase@octopus-package.example"})
    document_id = office.receive(client_id)
    app.request_send(office.firm_id, document_id, office.admin)  # the router mails it
    deadline = time.monotonic() + 20
    while app.document(office.firm_id, document_id).status is not DocumentStatus.SENT:
        assert time.monotonic() < deadline, "the accountant's package never got it"
        time.sleep(0.1)

    page = window
    page.goto("/portal/signin")
    page.locator("#signin-email").fill(owner.email)
    page.locator("#signin-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{url}/portal/")

    page.get_by_role("link", name="Integrations").first.click()
    page.get_by_text("+ Add destination").click()
    page.get_by_label("E-mail address").fill(OCTOPUS)
    page.get_by_label("Name (optional)").fill("Octopus")
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.locator(f'tr[data-destination="{OCTOPUS}"]')
    expect(row).to_contain_text("Waiting for confirmation")
    screens.take(page, "added")

    [mail] = steered_smtp.to(OCTOPUS)
    page.goto(confirmation_link(mail))  # whoever reads that mailbox opens the link
    expect(page.get_by_role("heading", name="Confirm this address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text(f"{OCTOPUS} is confirmed")

    page.goto(f"/portal/documents/{document_id}")
    page.get_by_role("link", name="Send to…").click()
    page.get_by_label("Destination", exact=True).select_option(label=f"Octopus <{OCTOPUS}>")
    expect(page.locator(f'input[value="{document_id}"]')).to_be_checked()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text(f"1 document(s) on their way to {OCTOPUS}.")).to_be_visible()
    sending = page.locator("li[data-sending]")
    deadline = time.monotonic() + 20
    while sending.get_attribute("data-status") != "sent" and time.monotonic() < deadline:
        time.sleep(0.2)
        page.reload()
    expect(sending).to_have_attribute("data-status", "sent")
    expect(sending).to_contain_text("Sent")
    screens.take(page, "sent")

    copies = [m for m in steered_smtp.to(OCTOPUS) if "multisend-" in str(m["Message-ID"])]
    assert len(copies) == 1
    [attachment] = list(copies[0].iter_attachments())
    assert attachment.get_filename() == "invoice.pdf"
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENT
