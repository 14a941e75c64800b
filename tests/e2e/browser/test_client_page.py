"""A client's page: Peppol, sending documents one by one and in bulk, form errors."""

from __future__ import annotations

import re

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from tests.e2e.browser.conftest import Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _document_row(page, file_name: str):
    return page.locator("table.document-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(re.escape(file_name))))


def test_enabling_peppol_shows_the_flag_in_the_client_list(page, site: Site, screens):
    site.new_client("Peppol Proef BV")
    site.settle()
    sign_in(page, site)
    page.get_by_label("Search clients").fill("Peppol Proef")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("td[data-label='Peppol']").first).to_have_text("Off")
    page.get_by_role("link", name="Peppol Proef BV", exact=True).click()

    page.get_by_label("Sending", exact=True).check()
    page.get_by_role("button", name="Save Peppol settings").click()

    expect(page.get_by_role("status")).to_contain_text("Peppol sending on, receiving off")
    expect(page.get_by_label("Sending", exact=True)).to_be_checked()
    screens.take(page, "overview")
    page.get_by_role("link", name="← Clients").click()
    page.get_by_label("Search clients").fill("Peppol Proef")
    page.get_by_role("button", name="Search", exact=True).click()
    flags = page.locator("td[data-label='Peppol']").first
    expect(flags).to_contain_text("Send: on")
    expect(flags).to_contain_text("Receive: off")


def test_a_sent_document_shows_sent(page, site: Site, screens):
    client_id = site.new_client("Verzend Proef BV")
    document_id = site.receive(client_id, "invoice-0042.pdf")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents")
    row = _document_row(page, "invoice-0042.pdf")
    expect(row.locator("td[data-label='Status']")).to_contain_text("Inbox")
    screens.take(page, "1-inbox")

    row.get_by_role("button", name="Send invoice-0042.pdf").click()

    expect(page.get_by_role("status")).to_contain_text("on its way")
    expect(row.locator("td[data-label='Status']")).to_contain_text("Sent", timeout=10_000)
    expect(row.locator("td[data-label='Status']")).to_contain_text("to Octopus")
    screens.take(page, "2-sent")
    assert f"lucy-{document_id.hex}" in site.package.received


def test_documents_are_sent_in_bulk_and_an_untyped_one_says_why_not(page, site: Site,
                                                                    screens):
    client_id = site.new_client("Bulk Proef BV")
    names = ["bulk-1.pdf", "bulk-2.pdf", "bulk-3.pdf"]
    typed = [site.receive(client_id, name) for name in names]
    untyped = site.receive(client_id, "scan-unknown.pdf", document_type=None)
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents")

    for name in [*names, "scan-unknown.pdf"]:
        page.get_by_label(f"Select {name}").check()
    screens.take(page, "1-selected")
    page.get_by_role("button", name="Send selected").click()

    expect(page.get_by_role("status")).to_contain_text("3 documents on the way")
    expect(page.get_by_role("status")).to_contain_text(
        "scan-unknown.pdf: give the document a type before sending it")
    for name in names:
        expect(_document_row(page, name).locator("td[data-label='Status']")).to_contain_text(
            "Sent", timeout=10_000)
    expect(_document_row(page, "scan-unknown.pdf").locator("td[data-label='Status']")
           ).to_contain_text("Inbox")
    screens.take(page, "2-sent")
    app, firm_id = site.services.app, site.demo.firm_id
    assert {app.document(firm_id, d).status for d in typed} == {DocumentStatus.SENT}
    assert app.document(firm_id, untyped).status is DocumentStatus.INBOX


def test_a_form_error_is_shown_beside_the_field_it_names(page, site: Site, screens):
    client_id = site.new_client("Koppel Proef BV", linked=False)
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/integrations")

    page.get_by_label("Octopus").check()
    page.get_by_role("button", name="Link package").click()

    field = page.get_by_label("Address for purchase documents")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.locator("#link-settings-purchase-address-error")
    expect(error).to_contain_text("Is required for e-mail integrations")
    expect(field).to_have_attribute("aria-describedby",
                                    re.compile("link-settings-purchase-address-error"))
    box = field.bounding_box()
    below = error.bounding_box()
    assert box and below and 0 <= below["y"] - (box["y"] + box["height"]) < 40
    expect(page.get_by_label("Octopus")).to_be_checked()
    screens.take(page, "error")

    field.fill("purchase@octopus.example")
    page.get_by_role("button", name="Link package").click()
    expect(page.get_by_role("status")).to_contain_text("Octopus is linked")


def test_an_invitation_link_is_shown_once_and_activates_the_client(page, browser, site: Site,
                                                                   screens):
    client_id = site.new_client("Uitnodiging Proef BV")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")

    page.get_by_role("button", name="Send invitation").click()

    link = page.get_by_label("Invitation link").input_value()
    assert "/invitations/" in link
    screens.take(page, "1-link-shown")
    page.reload()
    expect(page.get_by_label("Invitation link")).to_have_count(0)
    expect(page.get_by_role("button", name="Resend invitation")).to_be_visible()

    contact = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        client_page = contact.new_page()
        client_page.goto(link)
        client_page.get_by_label("Password", exact=True).fill("a long passphrase")
        client_page.get_by_label("Password again").fill("a long passphrase")
        client_page.get_by_role("button", name="Activate").click()
        expect(client_page.get_by_role("heading")).to_have_text("Welcome, Uitnodiging Proef BV")
        screens.take(client_page, "2-accepted")
    finally:
        contact.close()
    page.goto(f"/clients/{client_id}/history")
    expect(page.locator("table.history-table tbody tr").first).to_contain_text(
        "Accepted the invitation: Business Pro trial until")
    screens.take(page, "3-history")
