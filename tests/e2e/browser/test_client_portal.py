"""The client portal in Chromium, as a company's user uses it: signing in, uploading,
turning auto-send off (a recognised document then stays in the Inbox, where with
auto-send on it went to the accountant's package), and reaching nothing of another
company through the pages or the API. And the accountant opening the client's Inbox
"as the customer sees it"."""

from __future__ import annotations

import time
from uuid import UUID

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.application import ReadValues
from lucy_events.client_users import ClientUsers
from lucy_events.projections import list_documents
from tests.e2e.browser.conftest import Site, expect, sign_in
from tests.pdf_samples import pdf_invoice

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "bread and butter"
READ = ReadValues(method="pdf-text", confidence=0.97, document_type="purchase-invoice",
                  fields={"supplier_name": "Molens Verhaeghe", "invoice_number": "M-77"})


def _with_owner(site: Site, name: str, email: str) -> UUID:
    """A client of the demo firm that activated, its contact person's user set up."""
    app, firm_id = site.services.app, site.demo.firm_id
    client_id = site.new_client(name)
    app.accept_invitation(app.invite_client(firm_id, client_id, site.admin))
    ClientUsers(site.services.read_db).add_owner(firm_id, client_id, email=email,
                                                 first_name="Ilse", last_name="Maes",
                                                 password=PASSWORD)
    return client_id


def _recognised(site: Site, document_id: UUID) -> None:
    site.services.app.record_recognition(document_id, READ, Actor.system("recognition"))
    site.settle()


def _status(site: Site, client_id: UUID, file_name: str, wanted: str) -> str:
    """The document's status once the router has had its turn (or the timeout)."""
    deadline, status = time.monotonic() + 10, ""
    while time.monotonic() < deadline:
        rows = list_documents(site.services.read_db, firm_id=site.demo.firm_id,
                              client_id=client_id).rows
        status = next(r.status for r in rows if r.file_name == file_name)
        if status == wanted:
            break
        time.sleep(0.1)
    return status


def test_a_client_user_uploads_turns_auto_send_off_and_a_recognised_document_stays(
        page, site: Site, screens):
    app, firm_id = site.services.app, site.demo.firm_id
    client_id = _with_owner(site, "Portaal Bakkerij BV", "ilse@portaal-bakkerij.example")
    app.change_auto_send(firm_id, client_id, True, site.admin)
    before = site.receive(client_id, "voor-de-wijziging.pdf")
    site.settle()
    _recognised(site, before)  # auto-send on: it goes to the package by itself
    assert _status(site, client_id, "voor-de-wijziging.pdf", "Sent") == "Sent"

    page.goto("/portal/signin")
    page.get_by_label("E-mail address").first.fill("ilse@portaal-bakkerij.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{site.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portaal Bakkerij BV")

    page.get_by_label("File", exact=True).set_input_files([{
        "name": "na-de-wijziging.pdf", "mimeType": "application/pdf",
        "buffer": pdf_invoice(number="M-77")}])
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 document(s) uploaded.")
    expect(page.locator("table.document-table")).to_contain_text("na-de-wijziging.pdf")
    screens.take(page, "inbox-after-upload")

    page.get_by_role("link", name="Settings").click()
    box = page.get_by_label("Send recognised documents to the accountant automatically")
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Auto-send is off.")
    screens.take(page, "auto-send-off")

    uploaded = next(r.document_id for r in list_documents(
        site.services.read_db, firm_id=firm_id, client_id=client_id).rows
        if r.file_name == "na-de-wijziging.pdf")
    _recognised(site, uploaded)
    time.sleep(0.5)  # the router's turn, were it asked
    assert _status(site, client_id, "na-de-wijziging.pdf", "Sent") == "Inbox"
    page.get_by_role("link", name="Inbox", exact=True).click()
    row = page.locator("tr", has_text="na-de-wijziging.pdf")
    expect(row.locator("td[data-label='Status']")).to_have_text("Inbox")
    expect(row).to_contain_text("Molens Verhaeghe")
    row.get_by_role("link", name="na-de-wijziging.pdf").click()
    expect(page.get_by_role("img", name="Page 1 of na-de-wijziging.pdf")).to_be_visible()
    expect(page.locator("[data-field='invoice_number']")).to_contain_text("M-77")
    screens.take(page, "document")


def test_a_client_user_reaches_no_other_company_through_the_pages_or_the_api(
        page, site: Site, screens):
    _with_owner(site, "Eigen Zaak BV", "eigen@zaak.example")
    other = site.new_client("Andermans Zaak BV")
    theirs = site.receive(other, "andermans-factuur.pdf")
    site.settle()
    page.goto("/portal/signin")
    page.get_by_label("E-mail address").first.fill("eigen@zaak.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{site.url}/portal/")

    page.goto(f"/portal/documents/{theirs}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    page.goto("/portal/documents")
    expect(page.locator("main")).not_to_contain_text("andermans-factuur.pdf")
    for path, status in ((f"/api/v1/portal/documents/{theirs}", 404),
                         (f"/api/v1/portal/documents/{theirs}/content", 404),
                         (f"/api/v1/clients/{other}", 401),
                         (f"/api/v1/documents/{theirs}/content", 401),
                         ("/api/v1/clients", 401)):
        answer = page.request.get(path)
        assert answer.status == status, (path, answer.status)
        assert "Andermans" not in answer.text()
    page.goto(f"/clients/{other}")  # the staff dashboard: a staff sign-in, nothing more
    expect(page).to_have_url(f"{site.url}/signin?next=/clients/{other}")
    screens.take(page, "refused")


def test_the_accountant_opens_the_inbox_as_the_customer_sees_it(page, site: Site, screens):
    client_id = _with_owner(site, "Gezien Als Klant BV", "klant@gezien.example")
    site.receive(client_id, "in-de-inbox.pdf")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    page.get_by_role("link", name="As the customer sees it").click()
    expect(page.get_by_role("note")).to_contain_text("Read-only")
    expect(page.locator("table.document-table")).to_contain_text("in-de-inbox.pdf")
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)
    screens.take(page, "as-the-customer-sees-it")
