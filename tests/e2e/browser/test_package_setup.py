"""An admin sets up the firm's FTP package in the dashboard and tests the connection
against a real FTP server (pyftpdlib); the password is never shown again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import Site, expect, sign_in
from tests.integration.delivery import ftp_server

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
