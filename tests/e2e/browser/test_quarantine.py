"""The inbox address on the client's Overview, and the Quarantine section of its
Allowed senders tab: an admin releases or discards held mail with plain forms."""

from __future__ import annotations

import pytest

from lucy_events.application.mail import HeldMail
from lucy_events.intake.mail_intake import SMTP_ACTOR
from tests.e2e.browser.conftest import ACCOUNTANT, Site, expect, sign_in
from tests.mails import PDF, mail, wire

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def hold(site: Site, client_id, sender: str, file_name: str) -> None:
    """A mail the SMTP intake quarantined (as ``MailIntake.take_in`` records it)."""
    raw = wire(mail(sender=sender, subject=f"About {file_name}",
                    attachments=[(file_name, "application/pdf", PDF + file_name.encode())]))
    site.services.app.take_in_mail(raw, [], [HeldMail(client_id, "sender not allowed")],
                                   SMTP_ACTOR)


def test_the_overview_shows_the_clients_inbox_address(page, site: Site):
    client_id = site.new_client("Adres Proef BV", linked=False)
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    local_part = site.services.app.client_for_operator(client_id).inbox_local_part
    expect(page.locator("#inbox-address")).to_have_text(f"{local_part}@inbox.localhost")


def test_an_admin_releases_held_mail_and_its_attachment_lands_in_the_inbox(
        page, site: Site, screens):
    client_id = site.new_client("Quarantaine Proef BV")
    hold(site, client_id, "stranger@else.example", "held-invoice.pdf")
    hold(site, client_id, "spam@else.example", "junk.pdf")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/senders")
    section = page.locator("section[aria-labelledby='quarantine-title']")
    expect(section).to_contain_text("stranger@else.example")
    expect(section).to_contain_text("sender not allowed")
    screens.take(page, "1-held")

    section.get_by_role("button", name="Release the mail from stranger@else.example").click()
    expect(page.get_by_role("status")).to_contain_text("Released: 1 document")
    section.get_by_role("button", name="Discard the mail from spam@else.example").click()
    expect(page.get_by_role("status")).to_contain_text("discarded")
    expect(section).to_contain_text("Nothing in quarantine")
    screens.take(page, "2-decided")

    page.goto(f"/clients/{client_id}/documents")
    expect(page.get_by_role("rowheader", name="held-invoice.pdf")).to_be_visible()
    expect(page.get_by_text("junk.pdf")).to_have_count(0)


def test_an_accountant_does_not_see_the_quarantine(page, site: Site):
    client_id = site.new_client("Boekhouder Proef BV")
    hold(site, client_id, "stranger@else.example", "secret.pdf")
    site.settle()
    sign_in(page, site, ACCOUNTANT)
    page.goto(f"/clients/{client_id}/senders")
    expect(page.get_by_role("heading", name="Allowed senders")).to_be_visible()
    expect(page.locator("#quarantine-title")).to_have_count(0)
