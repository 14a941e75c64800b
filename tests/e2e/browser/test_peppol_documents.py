"""Peppol documents on the client's Accounting documents tab: an invalid one carries an
"Invalid" badge naming the broken rules."""

from __future__ import annotations

import re
import time

import pytest

from lucy_events.intake.peppol_inbound import PeppolInbound, clients_in_store
from lucy_events.projections.peppol_validations import peppol_validation
from tests.e2e.browser.conftest import Site, expect, sign_in
from tests.peppol_invoices import be_number, belgian, edited

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _received(site: Site, content: bytes, file_name: str):
    app = site.services.app
    outcome = PeppolInbound(app, site.services.read_db, clients_in_store(app)).receive(
        site.demo.firm_id, content, file_name)
    site.settle()
    deadline = time.monotonic() + 10  # the peppol read model is a consumer of its own
    while peppol_validation(site.services.read_db, site.demo.firm_id,
                            outcome.document_id) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return outcome


def test_an_invalid_peppol_invoice_shows_an_invalid_badge_with_its_rule_ids(page, site,
                                                                             screens):
    client_id = site.new_client("Peppol Ontvangst BV")
    number = site.services.app.client(site.demo.firm_id, client_id).enterprise_number
    invoice = belgian(supplier=be_number(4031707), customer=number)
    _received(site, invoice, "valid-peppol.xml")
    _received(site, edited(invoice, "/*/cbc:ProfileID", None), "broken-peppol.xml")
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents")
    rows = page.locator("table.document-table tbody tr")
    broken = rows.filter(has=page.get_by_role("rowheader", name=re.compile("broken-peppol")))
    badge = broken.locator("[data-peppol-invalid]")
    expect(badge).to_have_text(re.compile("Invalid"))
    expect(badge).to_have_attribute("title", re.compile("PEPPOL-EN16931-R001"))
    valid = rows.filter(has=page.get_by_role("rowheader", name=re.compile("valid-peppol")))
    expect(valid.locator("[data-peppol-invalid]")).to_have_count(0)
    screens.take(page, "documents")
