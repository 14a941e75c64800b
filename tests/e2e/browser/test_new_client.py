"""+ New client in a real browser: find the company in the register, check what it
prefilled, name the people, read the summary, create; the same company again is
refused with a link to the client the firm already has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lucy_events.register import Extract, import_extract
from tests.e2e.browser.conftest import ACCOUNTANT, Site, expect, sign_in
from tests.register_extracts import full_extract

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def register(site: Site, tmp_path: Path) -> None:
    with Extract(full_extract(tmp_path)) as extract:
        import_extract(site.services.read_db, extract)


def test_a_client_is_created_from_a_register_search_and_not_twice(page, site: Site,
                                                                   register, screens):
    sign_in(page, site)
    page.get_by_role("link", name="+ New client").click()
    page.get_by_label("Search the company register").fill("societe generale facdes")
    page.get_by_role("button", name="Search", exact=True).click()
    found = page.get_by_role("list", name="Companies found")
    expect(found).to_contain_text("Société Générale de Façades")
    expect(found).to_contain_text("0871.239.548")
    screens.take(page, "register-search")

    page.get_by_role("link", name="Choose Société Générale de Façades").click()
    expect(page.get_by_label("Company name")).to_have_value("Société Générale de Façades")
    expect(page.get_by_label("Enterprise number (BE) or KvK number (NL)")).to_have_value(
        "0871.239.548")
    expect(page.get_by_label("VAT number")).to_have_value("BE0871239548")
    expect(page.get_by_label("Legal form")).to_have_value("Naamloze vennootschap")
    expect(page.get_by_label("Street and number")).to_have_value("Eikstraat 16")
    expect(page.get_by_label("City")).to_have_value("Brussel")
    page.get_by_role("button", name="Next: people").click()

    page.get_by_label("First name").fill("Claire")
    page.get_by_label("Last name").fill("Dubois")
    page.get_by_label("E-mail").fill("claire@facades.example")
    page.get_by_label("Team").select_option(index=1)
    page.get_by_label("Firm contact person").select_option(index=1)
    page.get_by_role("button", name="Next: summary").click()
    summary = page.locator("dl.summary")
    expect(summary).to_contain_text("Société Générale de Façades (Naamloze vennootschap)")
    expect(summary).to_contain_text("Claire Dubois, claire@facades.example")
    screens.take(page, "summary")

    page.get_by_role("button", name="Create the client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Société Générale de Façades")
    created = page.url

    page.goto(f"{site.url}/clients/new?q=0871239548")
    expect(page.get_by_role("list", name="Companies found")).to_contain_text(
        "Already a client of the firm")
    page.goto(f"{site.url}/clients/new/company?number=0871239548")  # typed by hand
    page.get_by_role("button", name="Next: people").click()
    page.get_by_label("First name").fill("Jean")
    page.get_by_label("Last name").fill("Martin")
    page.get_by_label("E-mail").fill("jean@facades.example")
    page.get_by_role("button", name="Next: summary").click()
    page.get_by_role("button", name="Create the client").click()
    expect(page.get_by_role("alert")).to_contain_text("already has this company as a client")
    screens.take(page, "duplicate-refused")
    page.get_by_role("link", name="Open the existing client").click()
    expect(page).to_have_url(re.compile(re.escape(created.split("?")[0])))


def test_an_accountant_enters_a_dutch_company_by_hand_and_a_mistake_keeps_the_rest(
        page, site: Site, screens):
    sign_in(page, site, ACCOUNTANT)
    page.goto(f"{site.url}/clients/new")
    page.get_by_role("link", name="a Dutch company (KvK number)").click()
    expect(page.get_by_label("Country", exact=True)).to_have_value("NL")
    page.get_by_label("Company name").fill("Bakkerij de Vries B.V.")
    page.get_by_label("Enterprise number (BE) or KvK number (NL)").fill("6912 3456")
    page.get_by_label("Street and number").fill("Damstraat 1")
    page.get_by_label("Postal code").fill("1012 JL")
    page.get_by_label("City").fill("Amsterdam")
    page.get_by_role("button", name="Next: people").click()

    expect(page.get_by_label("Firm contact person")).to_have_count(0)  # admins only
    page.get_by_label("First name").fill("Sanne")
    page.get_by_label("Last name").fill("de Vries")
    page.get_by_label("E-mail").fill("sanne at devries")
    page.get_by_role("button", name="Next: summary").click()
    expect(page.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_contain_text("not an e-mail address")
    expect(page.get_by_label("First name")).to_have_value("Sanne")
    screens.take(page, "mistake-kept")

    page.get_by_label("E-mail").fill("sanne@devries.example")
    page.get_by_role("button", name="Next: summary").click()
    expect(page.locator("dl.summary")).to_contain_text("69123456")
    page.get_by_role("button", name="Create the client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bakkerij de Vries B.V.")
