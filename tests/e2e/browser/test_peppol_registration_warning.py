"""Enabling Peppol receiving for a company another provider registered: the Overview
warns in orange naming the provider's SMP, and receiving is enabled only once confirmed
(the local SML answers the lookup)."""

from __future__ import annotations

import pytest

from tests.e2e.browser.conftest import Screens, Site, expect, sign_in

pytestmark = pytest.mark.browser


def test_receiving_for_a_company_registered_elsewhere_needs_a_confirmation(
        page, site: Site, screens: Screens):
    client_id = site.new_client("Drukkerij Elders", linked=False)
    client = site.services.app.client_for_operator(client_id)
    assert site.sml is not None
    site.sml.register(f"0208:{client.enterprise_number}", "https://smp.elders.example/")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    page.get_by_label("Receiving", exact=True).check()
    page.get_by_role("button", name="Save Peppol settings").click()
    warning = page.locator(".peppol-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("smp.elders.example")
    screens.take(page, "warning")
    assert not site.services.app.client_for_operator(client_id).peppol_receive

    page.get_by_label("Receiving", exact=True).check()
    page.get_by_label("I confirm: enable receiving anyway").check()
    page.get_by_role("button", name="Save Peppol settings").click()
    expect(page.get_by_text("Peppol sending off, receiving on.")).to_be_visible()
    assert site.services.app.client_for_operator(client_id).peppol_receive
    page.goto(f"/clients/{client_id}/history")
    expect(page.get_by_text("confirming:").first).to_be_visible()
