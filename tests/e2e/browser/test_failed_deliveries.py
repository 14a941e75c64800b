"""Ops in the browser: the firm's failed deliveries with their reasons, sent again."""

from __future__ import annotations

import re

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.routers.integrations.base import PermanentDeliveryError
from tests.e2e.browser.conftest import Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_admin_sees_why_deliveries_failed_and_sends_them_again(page, site: Site, screens):
    """A failure that needs a fix first is left out of "Send these again"; its row links
    to the fix, and once fixed the document is resent from the client's documents."""
    app, firm_id = site.services.app, site.demo.firm_id
    client_id = site.new_client("Mislukt Levering BV")
    document_id = site.receive(client_id, "login-invoice.pdf")
    site.package.failures = [PermanentDeliveryError("FTP 530 login incorrect")]
    app.request_send(firm_id, document_id, site.admin)
    site.settle()
    assert app.document(firm_id, document_id).status is DocumentStatus.FAILED

    sign_in(page, site)
    page.get_by_role("link", name="Failed deliveries").click()
    row = page.locator("table.document-table tbody tr").filter(has_text="Mislukt Levering BV")
    expect(row).to_contain_text("FTP 530 login incorrect")
    expect(row).to_contain_text("needs a fix first")
    expect(page.locator("#needs-fix")).to_contain_text("fix it, then send it again")
    screens.take(page, "failed-deliveries")
    again = page.get_by_role("button", name="again")
    if again.count():  # other clients' retryable failures: this one is not among them
        again.click()
        expect(page.get_by_role("status")).to_contain_text("being sent again")
        site.settle()
    assert app.document(firm_id, document_id).status is DocumentStatus.FAILED

    page.get_by_role("link", name="Failed deliveries").click()
    page.locator("table.document-table tbody tr").filter(
        has_text="Mislukt Levering BV").get_by_role("link", name="Fix the settings").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client_id}/integrations"))
    page.goto(f"/clients/{client_id}/documents")
    page.get_by_role("button", name="Resend login-invoice.pdf").click()
    site.settle()
    assert app.document(firm_id, document_id).status is DocumentStatus.SENT
    retried = [e for e in app.client_history(firm_id, client_id)
               if e.event_type == "SendRequested"]
    assert retried[-1].actor == str(site.admin)  # the retry is the admin's own action


def test_an_accountant_may_look_but_not_send_the_firms_failures_again(page, site: Site):
    sign_in(page, site, "lotte@dupont-partners.be")
    page.get_by_role("link", name="Failed deliveries").click()
    expect(page.get_by_role("heading", name="Failed deliveries")).to_be_visible()
    expect(page.get_by_role("button", name="again")).to_have_count(0)
