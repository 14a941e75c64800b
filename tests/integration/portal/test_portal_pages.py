"""The client portal's pages as a client user uses them: the Inbox and every document
of their own company with its preview and download, uploading, auto-send (the event
names them), the inbox address, the accountant's package read-only; never another
company's data, of the same firm or another; and the staff's read-only view of the
Inbox "as the customer sees it"."""

from __future__ import annotations

import io
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument
from tests.integration.portal.conftest import Site
from tests.pdf_samples import pdf_invoice
from tests.portal_support import CSRF, active_client, portal_sign_in
from tests.support import PDF, open_office


def _receive(site: Site, client_id: UUID, name: str, firm_id: UUID | None = None) -> UUID:
    return site.services.app.receive_document(IncomingDocument(
        firm_id or site.office.firm_id, client_id, PDF + name.encode(), name,
        "application/pdf", "upload", document_type="purchase-invoice"),
        Actor.system("intake"))


def test_a_client_user_sees_their_inbox_documents_and_a_documents_preview(
        outbox_site: Site):
    site = outbox_site
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office)
    document_id = _receive(site, client_id, "factuur-brood.pdf")
    site.settle()
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    assert "factuur-brood.pdf" in browser.get("/portal/").get_data(as_text=True)
    assert "factuur-brood.pdf" in browser.get("/portal/documents?status=Inbox").get_data(
        as_text=True)
    page = browser.get(f"/portal/documents/{document_id}").get_data(as_text=True)
    assert "Preview" in page and "Invoice number" in page
    download = browser.get(f"/portal/documents/{document_id}/content")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_portal_speaks_dutch_and_french_when_chosen(outbox_site: Site):
    site = outbox_site
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    browser.get("/portal/language/nl")
    dutch = browser.get("/portal/settings").get_data(as_text=True)
    assert '<html lang="nl">' in dutch and "Instellingen" in dutch
    browser.get("/portal/language/fr")
    assert "Paramètres" in browser.get("/portal/settings").get_data(as_text=True)
    stranger = site.flask.test_client()
    french = stranger.get("/portal/signin", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert "Se connecter" in french.get_data(as_text=True)


def test_a_client_user_cannot_reach_another_companys_documents_of_either_firm(
        outbox_site: Site):
    site = outbox_site
    app, read_db = site.services.app, site.services.read_db
    _, owner = active_client(app, read_db, site.office)
    neighbour, _ = active_client(app, read_db, site.office, name="Slagerij Peeters")
    other_firm = open_office(app, "Andere Boekhouders")
    far, _ = active_client(app, read_db, other_firm, name="Verre Klant NV")
    theirs = [_receive(site, neighbour, "buren.pdf"),
              _receive(site, far, "ver.pdf", firm_id=other_firm.firm_id)]
    site.settle()
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    for document_id in theirs:
        for path in ("", "/content", "/pages/1.png"):
            answer = browser.get(f"/portal/documents/{document_id}{path}")
            assert answer.status_code == 404, (document_id, path)
    listed = browser.get("/portal/documents").get_data(as_text=True)
    assert "buren.pdf" not in listed and "ver.pdf" not in listed
    assert "Slagerij" not in listed and "Verre Klant" not in listed


def test_uploading_puts_the_files_in_the_inbox_and_a_refused_file_names_why(
        outbox_site: Site):
    site = outbox_site
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    uploaded = browser.post("/portal/documents/upload", data={
        "csrf_token": CSRF, "file": [(_file(pdf_invoice()), "bakker.pdf"),
                                     (_file(PDF + b"2"), "melk.pdf")]},
        content_type="multipart/form-data")
    assert uploaded.status_code == 303
    inbox = browser.get("/portal/").get_data(as_text=True)
    assert "2 document(s) uploaded." in inbox and "bakker.pdf" in inbox and "melk.pdf" in inbox
    refused = browser.post("/portal/documents/upload", data={
        "csrf_token": CSRF, "file": [(_file(b"MZ not a document"), "tool.exe")]},
        content_type="multipart/form-data")
    assert refused.status_code == 422 and "tool.exe" in refused.get_data(as_text=True)
    rows = site.services.app.client_history(site.office.firm_id, client_id,
                                            by=site.office.admin)
    received = [e for e in rows if e.event_type == "DocumentReceived"]
    assert len(received) == 2 and all(e.actor.startswith("client_user:") for e in received)


def _file(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


def test_turning_auto_send_off_records_the_client_user_and_the_staff_see_who(
        outbox_site: Site):
    site = outbox_site
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    assert "checked" in browser.get("/portal/settings").get_data(as_text=True)
    turned = browser.post("/portal/settings/auto-send", data={"csrf_token": CSRF})
    assert turned.status_code == 303
    assert "Auto-send is off." in browser.get("/portal/settings").get_data(as_text=True)
    assert site.services.app.client_for_operator(client_id).auto_send is False
    [event] = [e for e in site.services.app.client_history(
        site.office.firm_id, client_id, by=site.office.admin) if e.event_type == "AutoSendChanged"]
    assert event.actor == f"client_user:{owner.user_id}"
    history = site.signed_in().get(f"/clients/{client_id}/history").get_data(as_text=True)
    assert "a user of the client" in history


def test_the_inbox_address_and_the_accountants_package_are_shown_read_only(
        outbox_site: Site):
    site = outbox_site
    app = site.services.app
    client_id, owner = active_client(app, site.services.read_db, site.office)
    app.change_allowed_senders(site.office.firm_id, client_id, ["molen.be"], site.office.admin)
    app.link_integration(site.office.firm_id, client_id, "octopus", site.office.admin,
                         {"purchase_address": "purchase@octopus.example"})
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    address = browser.get("/portal/inbox-address").get_data(as_text=True)
    client = app.client_for_operator(client_id)
    assert site.services.inbox_address(client) in address and "molen.be" in address
    integrations = browser.get("/portal/integrations").get_data(as_text=True)
    assert "Octopus" in integrations and "purchase@octopus.example" not in integrations
    package = integrations.split('id="package-title"')[1].split("</section>")[0]
    assert "<form" not in package  # the package is read-only; the destinations are not


def test_staff_see_the_inbox_as_the_customer_sees_it_and_a_hidden_client_stays_hidden(
        outbox_site: Site):
    site = outbox_site
    app = site.services.app
    client_id, _ = active_client(app, site.services.read_db, site.office)
    _receive(site, client_id, "zoals-de-klant.pdf")
    site.settle()
    admin = site.signed_in()
    overview = admin.get(f"/clients/{client_id}").get_data(as_text=True)
    assert f"/clients/{client_id}/as-customer" in overview
    view = admin.get(f"/clients/{client_id}/as-customer").get_data(as_text=True)
    assert "zoals-de-klant.pdf" in view and "Read-only" in view
    assert 'enctype="multipart/form-data"' not in view  # no upload in the staff's view
    app.change_visibility(site.office.firm_id, client_id, True, site.office.admin)
    accountant = site.signed_in(UUID(site.office.accountant.id))
    assert accountant.get(f"/clients/{client_id}/as-customer").status_code == 404
