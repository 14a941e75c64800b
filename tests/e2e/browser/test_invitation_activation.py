"""An admin invites a client from the dashboard; the e-mail lands in the Outbox (no SMTP
relay: the embedded default); the client's contact opens the link in their own browser,
sets up their user and activates; the used and the superseded links say what to do."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser.conftest import Screens, Site, expect, sign_in

pytestmark = pytest.mark.browser


def _link_from_the_outbox(page, subject_part: str) -> str:  # type: ignore[no-untyped-def]
    page.goto("/outbox")
    page.get_by_role("link", name=re.compile(subject_part)).first.click()
    text = page.locator("pre.mail-text").inner_text()
    found = re.search(r"https?://\S+/invitations/\S+", text)
    assert found, text
    return found.group(0)


def test_a_client_activates_from_the_e_mailed_link(page, browser, site: Site,
                                                   screens: Screens):
    client_id = site.new_client("Chocolaterie Moeder", linked=False, contact_person={
        "first_name": "Marie", "last_name": "Moeder", "email": "marie@moeder.example",
        "language": "fr"})
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation e-mailed to Marie Moeder")).to_be_visible()
    link = _link_from_the_outbox(page, "Chocolaterie Moeder")
    expect(page.locator(".outbox-to")).to_contain_text("marie@moeder.example")
    screens.take(page, "outbox-message")

    contact = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    contact.goto(link)
    expect(contact.get_by_role("heading", name="Activate Chocolaterie Moeder")).to_be_visible()
    expect(contact.get_by_text("Dupont & Partners Accountants")).to_be_visible()
    expect(contact.locator(".inbox-address")).to_contain_text("@")
    contact.get_by_label("Password", exact=True).fill("short")
    contact.get_by_label("Password again").fill("short")
    contact.get_by_role("button", name="Activate").click()
    expect(contact.get_by_text("use at least 10 characters")).to_be_visible()
    contact.get_by_label("Password", exact=True).fill("a long passphrase")
    contact.get_by_label("Password again").fill("a long passphrase")
    contact.get_by_role("button", name="Activate").click()
    expect(contact.get_by_role("heading", name="Welcome, Chocolaterie Moeder")).to_be_visible()
    expect(contact.get_by_text("Business Pro")).to_be_visible()
    screens.take(contact, "activated")

    contact.goto(link)
    expect(contact.get_by_role("heading", name="This invitation was already used")).to_be_visible()
    assert site.services.app.client_for_operator(client_id).status.value == "Active"
    contact.context.close()


def test_an_older_link_after_a_resend_says_to_use_the_latest(page, browser, site: Site):
    client_id = site.new_client("Glasatelier Licht", linked=False)
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    page.get_by_role("button", name="Send invitation").click()
    first = _link_from_the_outbox(page, "Glasatelier Licht")
    page.goto(f"/clients/{client_id}")
    page.get_by_role("button", name="Resend invitation").click()
    expect(page.get_by_text("Invitation e-mailed to")).to_be_visible()
    contact = browser.new_context().new_page()
    contact.goto(first)
    expect(contact.get_by_role("heading", name="A newer invitation was sent")).to_be_visible()
    expect(contact.get_by_text("Use the link in the latest e-mail")).to_be_visible()
    contact.context.close()
