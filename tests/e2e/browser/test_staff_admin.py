"""An admin runs the firm's staff in the dashboard: invites a colleague, who signs in
once with the link; creates and renames a team, moves the colleague into it, changes
their role, and deactivates them, after which their browser is signed out."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.browser.conftest import ACCOUNTANT, LAPTOP, Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_admin_invites_moves_and_deactivates_a_colleague(page, browser, site: Site,
                                                           screens):
    suffix = uuid.uuid4().hex[:6]
    email, team = f"nina.{suffix}@dupont-partners.be", f"Payroll {suffix}"
    sign_in(page, site)
    page.get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name="Staff and teams")).to_be_visible()

    page.get_by_label("Name", exact=True).fill("Nina Maes")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option("accountant")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name=f"{email} is invited")).to_be_visible()
    link = page.locator("#staff-link").inner_text()
    assert re.fullmatch(rf"{re.escape(site.url)}/staff-links/[\w-]+", link), link
    screens.take(page, "1-invited")

    colleague = browser.new_context(viewport=LAPTOP, base_url=site.url).new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", name="Welcome, Nina Maes")).to_be_visible()
    colleague.get_by_role("button", name="Sign in").click()
    expect(colleague.get_by_role("heading", name="You are signed in")).to_be_visible()
    assert colleague.locator("#access-token").inner_text().startswith("lucy_")
    colleague.get_by_role("link", name="Go to your clients").click()
    expect(colleague.locator(".topbar")).to_contain_text("Nina Maes")
    colleague.goto(link)
    expect(colleague.get_by_role("heading", name="This link does not work")).to_be_visible()

    page.get_by_label("New team").fill(team)
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_text(f"Team {team} created.")).to_be_visible()
    renamed = page.locator(f"#team-list input[value='{team}']")
    renamed.fill(f"{team} & HR")
    renamed.locator("xpath=..").get_by_role("button", name="Rename").click()
    expect(page.get_by_text(f"Team renamed to {team} & HR.")).to_be_visible()

    row = page.locator(f"tr[data-staff='{email}']")
    row.get_by_label("Team of Nina Maes").select_option(label=f"{team} & HR")
    row.get_by_role("button", name="Move").click()
    expect(page.get_by_text("Moved.")).to_be_visible()
    expect(row.get_by_label("Team of Nina Maes")).to_have_value(re.compile(r"[0-9a-f-]{36}"))
    row.get_by_label("Role of Nina Maes").select_option("admin")
    row.get_by_role("button", name="Change role").click()
    expect(page.get_by_text("The role is now admin.")).to_be_visible()
    screens.take(page, "2-moved-and-promoted")

    colleague.goto("/")
    expect(colleague).to_have_url(re.compile(r"/signin"))  # the role change ended it

    row.get_by_role("button", name="Deactivate Nina Maes").click()
    expect(page.get_by_text("Deactivated")).to_be_visible()
    expect(page.locator(f"tr[data-staff='{email}']")).to_have_count(0)
    colleague.context.close()


def test_an_accountant_has_no_staff_screen(page, site: Site):
    sign_in(page, site, ACCOUNTANT)
    expect(page.get_by_role("link", name="Staff")).to_have_count(0)
    assert page.goto("/staff").status == 403


def test_an_admin_gives_a_client_a_service_with_participants(page, site: Site, screens):
    suffix = uuid.uuid4().hex[:6]
    service, client = f"Payroll {suffix}", f"Dienst {suffix} BV"
    client_id = site.new_client(client)
    sign_in(page, site)
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("New service").fill(service)
    page.get_by_role("button", name="Define service").click()
    expect(page.get_by_text(f"Service {service} defined.")).to_be_visible()

    page.goto(f"/clients/{client_id}")
    form = page.locator("section#services")
    form.get_by_label("Service").select_option(label=service)
    form.get_by_label("Owner").select_option(label="Sofie Janssens")
    form.get_by_label("Lotte Peeters").check()
    form.get_by_role("button", name="Assign service").click()
    expect(page.get_by_text("The service is assigned")).to_be_visible()
    item = page.locator(f"#client-services li[data-service='{service}']")
    expect(item).to_contain_text("owner Sofie Janssens")
    expect(item).to_contain_text("with Lotte Peeters")
    screens.take(page, "service-assigned")
    reminder = page.locator("section#reminder")
    reminder.get_by_label("Failed deliveries").check()
    reminder.get_by_label("Comment").fill("Please look before Friday")
    reminder.get_by_role("button", name="Send reminder").click()
    expect(page.get_by_text("Reminder sent to 2 participant(s).")).to_be_visible()
    outbox = site.services.outbox()
    assert outbox is not None
    subjects = [e.subject for e in outbox.entries(str(site.demo.firm_id))]
    assert f"A reminder about {client}" in subjects


def test_a_staff_member_chooses_their_digest(page, site: Site):
    sign_in(page, site, ACCOUNTANT)
    page.get_by_role("link", name="My digest").click()
    page.get_by_label("How often").select_option("daily")
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Save my digest").click()
    expect(page.get_by_text("Your digest is saved.")).to_be_visible()
    firm = site.services.app.firm(site.demo.firm_id)
    assert firm.digest_of(site.demo.staff[ACCOUNTANT]) == ("daily", "nl")
