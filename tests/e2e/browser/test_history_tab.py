"""An auditor on the History tab: the client's documents as they stood on a date, picked
with the date picker, and the printable export stating the chain head."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.browser.conftest import Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_date_picker_shows_the_documents_list_as_it_stood(page, site: Site, screens):
    client_id = site.new_client("Historie Proef BV")
    site.receive(client_id, "then.pdf")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/history")
    page.get_by_label("As of").fill(datetime.now(UTC).date().isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="As it stood")).to_be_visible()
    expect(page.locator("section.as-of table")).to_contain_text("then.pdf")
    expect(page.locator("section.as-of table")).to_contain_text("Inbox")
    screens.take(page, "1-as-of")
    page.get_by_label("As of").fill("2000-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The client did not exist yet.")).to_be_visible()
    page.goto(f"/clients/{client_id}/history/export?format=html")
    expect(page.get_by_role("heading")).to_have_text("History of Historie Proef BV")
    expect(page.locator("dd code")).to_contain_text(":")
    expect(page.locator("tbody")).to_contain_text("then.pdf")
    screens.take(page, "2-export")
