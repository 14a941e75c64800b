"""The client list: search, favourites, what an accountant sees, and a phone's width."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser.conftest import ACCOUNTANT, OTHER_ADMIN, Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _rows(page):
    return page.locator("table.client-table tbody tr")


def test_a_client_is_found_by_its_vat_number_as_people_type_it(page, site: Site, screens):
    client = site.services.app.client(site.demo.firm_id, site.demo.clients[3])
    number = client.enterprise_number
    typed = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"
    sign_in(page, site)

    page.get_by_label("Search clients").fill(typed)
    page.get_by_role("button", name="Search", exact=True).click()

    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first.get_by_role("rowheader")).to_contain_text(client.name)
    expect(page.locator("#result-count")).to_contain_text("1 client matching")
    screens.take(page, "search-result")


def test_a_starred_client_comes_first_in_the_list(page, site: Site, screens):
    sign_in(page, site, OTHER_ADMIN)  # favourites are personal: not the other tests' admin
    last = "Zonnepanelen Noord"
    expect(_rows(page).first).not_to_contain_text(last)

    page.get_by_label("Search clients").fill("zonnepanelen")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Favourite: {last}").click()
    expect(page.get_by_role("button", name=f"Favourite: {last}")).to_have_attribute(
        "aria-pressed", "true")

    page.get_by_role("link", name=re.compile(r"^All")).click()
    first = _rows(page).first
    expect(first.get_by_role("rowheader")).to_contain_text(last)
    expect(first.get_by_role("button", name=f"Favourite: {last}")).to_have_attribute(
        "aria-pressed", "true")
    screens.take(page, "favourite-on-top")


def test_an_accountant_sees_neither_hidden_clients_nor_the_all_tab(page, site: Site, screens):
    app, firm_id = site.services.app, site.demo.firm_id
    hidden = [c for c in (app.client(firm_id, i) for i in site.demo.clients) if c.hidden]
    assert hidden, "the demo firm hides some clients from accountants"
    sign_in(page, site, ACCOUNTANT)

    tabs = page.get_by_role("navigation", name="Client lists").get_by_role("link")
    expect(tabs).to_have_count(2)
    expect(tabs.nth(0)).to_contain_text("Onboarding")
    expect(tabs.nth(1)).to_contain_text("My clients")
    expect(page.locator("#my-clients-rule")).to_contain_text(
        "where you are the firm contact or on one of the client's services")
    screens.take(page, "accountant-list")
    for tab in ("onboarding", "mine"):
        for client in hidden:
            page.goto(f"/?tab={tab}&q={client.name}")
            expect(page.locator("#result-count")).to_contain_text("0 clients")
    assert page.goto("/?tab=all").status == 403
    assert page.goto(f"/clients/{hidden[0].id}").status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_the_client_list_is_usable_at_a_phone_width(phone, site: Site, screens):
    sign_in(phone, site)

    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px wide"
    rows = _rows(phone)
    expect(rows.first).to_be_visible()
    assert rows.first.evaluate("row => getComputedStyle(row).display") == "block"
    assert phone.locator("table.client-table thead").evaluate(
        "head => head.getBoundingClientRect().height") <= 1
    expect(rows.first.locator("td[data-label='Status']")).to_be_visible()
    screens.take(phone, "phone-client-list", full_page=False)

    rows.first.get_by_role("rowheader").get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/clients/[0-9a-f-]+$"))  # loaded, with its stylesheet
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screens.take(phone, "phone-client-page")
    phone.get_by_role("link", name=re.compile("^Accounting documents")).click()
    phone.wait_for_url(re.compile(r"/documents$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screens.take(phone, "phone-documents")
