"""Signing in and out, and the forms' protection against cross-site requests."""

from __future__ import annotations

import re

import pytest

from lucy_events.web.dashboard.signin_hint import demo_signin_lines
from tests.e2e.browser.conftest import ADMIN, Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_demo_admin_signs_in_with_the_printed_token_and_signs_out(page, site: Site,
                                                                      screens):
    hint = demo_signin_lines(site.services, site.demo, url=site.url)[0]
    found = re.fullmatch(rf"Sign in at {re.escape(site.url)} as (\S+) with token (lucy_\S+)",
                         hint)
    assert found, hint
    email, token = found.groups()
    assert email == ADMIN
    # A later start, with the demo seeded before, finds the demo firm by its name and
    # mints no new token.
    later = demo_signin_lines(site.services, url=site.url)
    assert len(later) == 4 and not any("lucy_" in line for line in later), later
    assert "/portal/welcome/" not in " ".join(later)  # no second invitation link

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin\?next=/$"))
    screens.take(page, "1-sign-in-page")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Personal access token").fill(token)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("Sofie Janssens")
    expect(page.locator(".topbar")).to_contain_text("Dupont & Partners Accountants")
    screens.take(page, "2-client-list")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin"))


def test_a_wrong_token_is_refused_beside_the_token_field(page, site: Site, screens):
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(ADMIN)
    page.get_by_label("Personal access token").fill("lucy_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()

    token = page.get_by_label("Personal access token")
    expect(token).to_have_attribute("aria-invalid", "true")
    error = page.locator("#signin-token-error")
    expect(error).to_contain_text("not valid")
    expect(token).to_have_attribute("aria-describedby", re.compile("signin-token-error"))
    expect(page.get_by_label("E-mail address")).to_have_value(ADMIN)
    screens.take(page, "wrong-token")


def test_a_post_without_the_csrf_token_is_refused(page, site: Site):
    client_id = site.new_client("Csrf Proef BV")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")

    forged = page.request.post(f"/clients/{client_id}/auto-send",
                               form={"auto_send": "on"}, max_redirects=0)
    assert forged.status == 400
    assert "did not come from this site" in forged.text()
    assert site.services.app.client(site.demo.firm_id, client_id).auto_send is False

    wrong = page.request.post(f"/clients/{client_id}/auto-send",
                              form={"auto_send": "on", "csrf_token": "guessed"},
                              max_redirects=0)
    assert wrong.status == 400

    genuine = page.request.post(f"/clients/{client_id}/auto-send",
                                form={"auto_send": "on", "csrf_token": token},
                                max_redirects=0)
    assert genuine.status == 303
    assert site.services.app.client(site.demo.firm_id, client_id).auto_send is True


def test_the_demo_clients_contact_opens_the_printed_link_and_sees_their_inbox(page,
                                                                             site: Site):
    lines = demo_signin_lines(site.services, site.demo, url=site.url)
    link = next(line for line in lines if "/portal/welcome/" in line)
    found = re.search(r"A client's own side \((.+)\): open (\S+)", link)
    assert found, lines
    company, url = found.groups()

    page.goto(url)
    page.get_by_label("Password", exact=True).fill("demo-portaal-2026")
    page.get_by_label("Password again").fill("demo-portaal-2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(company)

    page.goto(url)  # the link worked once
    expect(page.get_by_role("alert")).to_be_visible()

