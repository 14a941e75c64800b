"""An accountant sets up a client's invoice settings, creates and issues an invoice,
sends it over Peppol (the customer is in the local SML) to the firm's access point (a
local server speaking the provider's API), then a credit note of it, and sees both
become Delivered when the access point confirms."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator

import pytest

from tests.access_point_support import TOKEN, LocalAccessPoint, local_access_point
from tests.e2e.browser.conftest import ACCOUNTANT, ADMIN, Screens, Site, expect, sign_in
from tests.support import belgian_number

pytestmark = pytest.mark.browser


@pytest.fixture
def access_point() -> Iterator[LocalAccessPoint]:
    with local_access_point() as ap:
        yield ap


def _set_up_sending(site: Site, access_point: LocalAccessPoint) -> None:
    """The firm's admin names the access point over the API (admins only)."""
    request = urllib.request.Request(
        f"{site.url}/api/v1/peppol/sending", method="PUT",
        data=json.dumps({"endpoint": access_point.url, "token": TOKEN}).encode(),
        headers={"Authorization": f"Bearer {site.tokens[ADMIN]}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert json.load(reply)["has_token"] is True


def test_an_accountant_sends_an_invoice_and_a_credit_note_over_peppol_until_delivered(
        page, site: Site, screens: Screens, access_point: LocalAccessPoint):
    _set_up_sending(site, access_point)
    buyer = belgian_number(88)
    assert site.sml is not None
    site.sml.register(f"0208:{buyer}", "http://127.0.0.1:9/")  # its SMP is not asked here
    client_id = site.new_client("Bakkerij Peppol", linked=False)
    site.settle()
    sign_in(page, site, ACCOUNTANT)

    page.goto(f"/clients/{client_id}/invoice-settings")
    page.get_by_label("IBAN").fill("BE71 0961 2345 6769")
    page.get_by_label("BIC").fill("GKCCBEBB")
    page.get_by_role("button", name="Save invoice settings").click()
    expect(page.get_by_text("The invoice settings were saved.")).to_be_visible()

    page.goto(f"/clients/{client_id}/invoices")
    for name, value in (("name", "Peppol Afnemer NV"), ("enterprise_number", buyer),
                        ("vat", f"BE{buyer}"), ("street", "Markt 1"),
                        ("postal_code", "9000"), ("city", "Gent"), ("country", "BE")):
        page.locator(f'[name="customer.{name}"]').fill(value)
    page.locator('[name="lines[0].description"]').fill("Taarten")
    page.locator('[name="lines[0].quantity"]').fill("4")
    page.locator('[name="lines[0].unit_price"]').fill("25")
    page.locator('[name="lines[0].vat_rate"]').fill("6")
    page.get_by_label("Issue it now").check()
    page.get_by_role("button", name="Save invoice").click()
    issued = page.get_by_text(re.compile(r"Invoice INV-\d{4}-\d{5} issued\."))
    expect(issued).to_be_visible()
    number = re.search(r"INV-\d{4}-\d{5}", issued.inner_text()).group(0)  # type: ignore[union-attr]

    page.get_by_role("button", name=f"Send {number}").click()
    expect(page.get_by_text(f"{number} was sent over Peppol to 0208:{buyer}.")).to_be_visible()
    [transmission] = access_point.transmissions.values()
    assert transmission.header.receiver == f"0208:{buyer}"
    screens.take(page, "sent")

    page.get_by_role("button", name=f"Credit note for {number}").click()
    expect(page.get_by_text("A draft credit note was made")).to_be_visible()
    page.get_by_role("button", name="Issue the draft for Peppol Afnemer NV").click()
    credit = page.get_by_text(re.compile(r"INV-\d{4}-\d{5} issued: its UBL passed"))
    expect(credit).to_be_visible()
    credit_number = re.search(r"INV-\d{4}-\d{5}",  # type: ignore[union-attr]
                              credit.inner_text()).group(0)
    page.get_by_role("button", name=f"Send {credit_number}").click()
    expect(page.get_by_text(f"{credit_number} was sent over Peppol")).to_be_visible()
    kinds = sorted(t.header.document_type_id.split("::")[1].split("##")[0]
                   for t in access_point.transmissions.values())
    assert kinds == ["CreditNote", "Invoice"]

    access_point.auto_deliver = True  # the access point confirms both
    for shown in (number, credit_number):
        page.get_by_role("button", name=f"Check delivery of {shown}").click()
        expect(page.get_by_text(f"{shown} was delivered over Peppol.")).to_be_visible()
    rows = page.locator("tr", has_text=number)
    expect(rows.first.locator(".invoice-status")).to_contain_text("Delivered")
    expect(page.locator(".status-delivered")).to_have_count(2)
    screens.take(page, "delivered")
    page.goto(f"/clients/{client_id}/history")
    expect(page.get_by_text(f"Delivered over Peppol to 0208:{buyer}").first).to_be_visible()
