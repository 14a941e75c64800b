"""An admin sets up the firm's FTP package in the dashboard and tests the connection
against a real FTP server (pyftpdlib); the password is never shown again. An admin
connects Exact Online NL by consent at a local server playing Exact (its consent page,
token endpoint and current/Me)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import Site, expect, sign_in
from tests.integration.delivery import ftp_server
from tests.integration.delivery.fake_exact import (
    CLIENT_ID,
    CLIENT_SECRET,
    ExactHandler,
    FakeExact,
)
from tests.integration.delivery.http_server import serving

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def ftp(tmp_path: Path) -> Iterator[ftp_server.FtpState]:
    thread, state = ftp_server.start(tmp_path / "ftp-home")
    (state.home / "lucy").mkdir()
    yield state
    thread.stop()


def test_an_admin_sets_up_ftp_and_sees_the_connection_work(page, site: Site, screens,
                                                           ftp: ftp_server.FtpState):
    sign_in(page, site)
    page.get_by_role("link", name="Packages").click()
    card = page.locator("section#ftp")
    expect(card.locator(".package-status")).to_contain_text("Not set up")
    card.get_by_label("Host").fill(ftp.host)
    card.get_by_label("Port (21)").fill(str(ftp.port))
    card.get_by_label("User").fill(ftp_server.USERNAME)
    card.get_by_label("Password").fill("not-the-password")
    card.get_by_label("FTPS: true or false (true)").fill("false")
    card.get_by_label("Root folder").fill("/lucy")
    card.get_by_role("button", name="Save Any FTP server").click()
    expect(page.get_by_text("Any FTP server is set up.")).to_be_visible()
    card = page.locator("section#ftp")
    assert card.get_by_label("Password").input_value() == ""  # never shown again
    expect(card.get_by_text("saved; leave empty to keep it")).to_be_visible()

    card.get_by_role("button", name="Test connection to Any FTP server").click()
    expect(page.locator("section#ftp .package-status")).to_contain_text(
        "Connection failed")
    card = page.locator("section#ftp")
    card.get_by_label("Password").fill(ftp_server.PASSWORD)
    card.get_by_role("button", name="Save Any FTP server").click()
    page.locator("section#ftp").get_by_role(
        "button", name="Test connection to Any FTP server").click()
    status = page.locator("section#ftp .package-status")
    expect(status).to_contain_text("Connected")
    expect(status).to_contain_text("/lucy")
    screens.take(page, "1-ftp-connected")
    values = page.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    assert ftp_server.PASSWORD not in values


@pytest.fixture
def exact() -> Iterator[tuple[str, FakeExact]]:
    state = FakeExact(clock=time.time)
    with serving(ExactHandler, state) as url:
        yield url, state


def test_an_admin_connects_exact_online_nl_by_consent_after_a_denial(
        page, site: Site, screens, exact: tuple[str, FakeExact]):
    exact_url, server = exact
    sign_in(page, site)
    page.get_by_role("link", name="Packages").click()
    card = page.locator("section#exact-online-nl-api")
    expect(card.locator(".package-connection")).to_contain_text("Not connected")
    expect(card.get_by_role("button", name="Connect Exact Online NL")).to_have_count(0)
    card.get_by_label("Client id").fill(CLIENT_ID)
    card.get_by_label("Client secret").fill(CLIENT_SECRET)
    card.get_by_label("Address (default: https://start.exactonline.nl)").fill(exact_url)
    card.get_by_role("button", name="Save Exact Online NL").click()
    expect(page.get_by_text("Exact Online NL is set up.")).to_be_visible()

    page.locator("section#exact-online-nl-api").get_by_role(
        "button", name="Connect Exact Online NL").click()
    expect(page.get_by_role("heading", name="Give Lucy access")).to_be_visible()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_text("Not connected: Exact Online NL did not give access: "
                            "access_denied")).to_be_visible()
    card = page.locator("section#exact-online-nl-api")
    expect(card.locator(".package-connection")).to_contain_text("Not connected")
    assert not server.token_requests  # a denial asks Exact for nothing

    card.get_by_role("button", name="Connect Exact Online NL").click()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_text("Exact Online NL is connected: the connection works")
           ).to_be_visible()
    card = page.locator("section#exact-online-nl-api")
    expect(card.locator(".package-connection")).to_contain_text("account is connected")
    status = card.locator(".package-status")
    expect(status).to_contain_text("Connected")
    expect(status).to_contain_text("Sofie Janssens")
    screens.take(page, "1-exact-online-nl-connected")
    assert [r["grant_type"] for r in server.token_requests] == ["authorization_code"]
    values = page.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    assert CLIENT_SECRET not in values

    # The callback's address opened again (history, a copied link): the state is spent.
    [callback] = [url for url in requested if "/packages/connected?" in url]
    page.goto(callback)
    expect(page.get_by_text("Not connected: this consent is unknown or was used "
                            "already")).to_be_visible()
    expect(page.locator("section#exact-online-nl-api .package-connection")).to_contain_text(
        "account is connected")
