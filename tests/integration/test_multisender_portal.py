"""The multisender as a client user runs it in the portal (Flask's test client over the
service from bootstrap, mail through an aiosmtpd server): "+ Add destination" on the
Integrations page, the link from the e-mail confirms it, "Send to…" sends a Sent
document there, a refused one is sent again; another company's user reaches none of it,
and the accountant reads it on the document's history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from tests.integration.onboarding.conftest import Site, _site, settings_for
from tests.integration.test_multisender_delivery import fast_worker
from tests.multisender_support import SteeredSmtp, confirmation_link, steered_smtp  # noqa: F401
from tests.portal_support import CSRF, active_client, portal_sign_in

OCTOPUS = "inbox@octopus.example"


@pytest.fixture
def site(tmp_path: Path, steered_smtp: SteeredSmtp) -> Iterator[Site]:  # noqa: F811
    yield from _site(settings_for(tmp_path, steered_smtp.relay_url))


def signed_in_user(site: Site, **overrides):
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office,
                                     **overrides)
    browser = site.flask.test_client()
    assert portal_sign_in(browser, owner.email).status_code == 303
    with browser.session_transaction() as session:  # signing in renewed the secret
        session["csrf_token"] = CSRF
    return client_id, browser


def test_a_client_user_adds_confirms_and_sends_a_sent_document_to_its_own_destination(
        site: Site, steered_smtp: SteeredSmtp):  # noqa: F811
    app, office = site.services.app, site.office
    client_id, browser = signed_in_user(site)
    document_id = office.receive(client_id)
    app.request_send(office.firm_id, document_id, office.admin)
    app.record_sent(document_id, "octopus", "ref-1", office.admin)

    page = browser.get("/portal/integrations").get_data(as_text=True)
    assert "+ Add destination" in page and "No destinations yet." in page
    added = browser.post("/portal/integrations/destinations", data={
        "csrf_token": CSRF, "address": "Inbox@Octopus.example", "label": "Octopus"},
        follow_redirects=True).get_data(as_text=True)
    assert "A confirmation link was mailed to inbox@octopus.example" in added
    assert "Waiting for confirmation" in added
    bad = browser.post("/portal/integrations/destinations", data={
        "csrf_token": CSRF, "address": "octopus"}, follow_redirects=True)
    assert "address: &#39;octopus&#39; is not an e-mail address" in bad.get_data(as_text=True)

    link = confirmation_link(steered_smtp.to(OCTOPUS)[0])
    path = link.split("lucy.test", 1)[1] if "lucy.test" in link else re.sub(
        r"^https?://[^/]+", "", link)
    visitor = site.flask.test_client()  # whoever reads that mailbox: not signed in
    shown = visitor.get(path).get_data(as_text=True)
    assert "Bakkerij Claes wants to send documents to inbox@octopus.example" in shown
    assert "Waiting for confirmation" in browser.get("/portal/integrations").get_data(
        as_text=True)  # opening the link confirmed nothing yet
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown).group(1)
    done = visitor.post(path, data={"csrf_token": token}).get_data(as_text=True)
    assert "inbox@octopus.example is confirmed" in done
    again = visitor.post(path, data={"csrf_token": token})
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert "Confirmed" in browser.get("/portal/integrations").get_data(as_text=True)

    form = browser.get(f"/portal/send-to?document={document_id}").get_data(as_text=True)
    destination_id = re.search(r'<option value="([0-9a-f-]{36})">Octopus', form).group(1)
    steered_smtp.replies[OCTOPUS] = "451 4.7.1 Greylisted, try again later"
    sent = browser.post("/portal/send-to", data={
        "csrf_token": CSRF, "destination_id": destination_id,
        "document_ids": [str(document_id)]}, follow_redirects=True).get_data(as_text=True)
    assert "1 document(s) on their way to inbox@octopus.example." in sent
    fast_worker(site.services).step()
    failed = browser.get(f"/portal/send-to?document={document_id}").get_data(as_text=True)
    assert 'data-status="failed"' in failed and "451 4.7.1 Greylisted" in failed
    sending_id = re.search(r'data-sending="([0-9a-f-]{36})"', failed).group(1)

    del steered_smtp.replies[OCTOPUS]
    browser.post(f"/portal/documents/{document_id}/sendings/{sending_id}/retry",
                 data={"csrf_token": CSRF})
    fast_worker(site.services).step()
    page = browser.get(f"/portal/send-to?document={document_id}").get_data(as_text=True)
    assert 'data-status="sent"' in page
    copies = [m for m in steered_smtp.to(OCTOPUS) if "multisend-" in str(m["Message-ID"])]
    assert len(copies) == 1
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENT

    staff = site.signed_in()  # the accountant's side (an admin)
    history = staff.get(f"/clients/{client_id}/documents/{document_id}").get_data(
        as_text=True)
    assert "Mailed to inbox@octopus.example (the client&#39;s multisender)" in history
    assert ("Not mailed to inbox@octopus.example: recipient refused: 451 4.7.1 Greylisted"
            in history)
    assert "Delivered to" in history  # its own delivery to the package, still there


def test_another_companys_user_reaches_nothing_of_the_multisender(
        site: Site, steered_smtp: SteeredSmtp):  # noqa: F811
    office = site.office
    client_id, browser = signed_in_user(site)
    document_id = office.receive(client_id)
    browser.post("/portal/integrations/destinations", data={
        "csrf_token": CSRF, "address": OCTOPUS})
    [destination] = site.services.multisender().destinations(office.firm_id, client_id,
                                                              office.admin)
    _, stranger = signed_in_user(site, email="other@elsewhere.example",
                                 enterprise_number="0417497106")
    assert OCTOPUS not in stranger.get("/portal/integrations").get_data(as_text=True)
    assert stranger.get(f"/portal/send-to?document={document_id}").status_code == 404
    refused = stranger.post("/portal/send-to", data={
        "csrf_token": CSRF, "destination_id": str(destination.destination_id),
        "document_ids": [str(document_id)]})
    assert refused.status_code == 404
    removed = stranger.post(
        f"/portal/integrations/destinations/{destination.destination_id}/remove",
        data={"csrf_token": CSRF})
    assert removed.status_code == 404
    assert site.services.multisender().destinations(office.firm_id, client_id, office.admin)
