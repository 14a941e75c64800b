"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright.

One site for the whole directory: the demo firm, served by ``create_app`` over real HTTP
on a free loopback port, with the in-process consumers running the read models and a
router whose package records what it receives (so "send" really ends Sent). Each test
makes the clients it changes, so the tests do not depend on each other's order.

A missing chromium (or Playwright) skips these tests on a developer's machine and fails
them in CI (CI=true), like every other missing service.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from werkzeug.serving import make_server

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.bus import positions
from lucy_events.config import Settings
from lucy_events.demo import DemoFirm, seed_demo
from lucy_events.routers.router import Router
from lucy_events.web import create_app
from tests.integration.test_router import RecordingPackage
from tests.peppol_support import ZONE as SML_ZONE
from tests.peppol_support import LocalSml, empty_sml  # noqa: F401  (the fixture)
from tests.support import PDF, client_fields

CHROMIUM = os.environ.get("LUCY_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
ADMIN, OTHER_ADMIN = "sofie@dupont-partners.be", "marc@dupont-partners.be"
ACCOUNTANT = "lotte@dupont-partners.be"
CONSUMERS = ("dashboard", "documents", "vault", "router")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's chromium (fails in CI when it is missing)")


def _service_missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is required in CI and is not available")
    pytest.skip(f"{what} is not available")


@dataclass
class Site:
    """The running dashboard and what the tests need to set up and check behind it."""

    url: str
    services: Services
    demo: DemoFirm
    package: RecordingPackage
    tokens: dict[str, str] = field(default_factory=dict)
    _names: int = 0
    #: The Peppol SML the site asks (a local one: tests register participants in it).
    sml: LocalSml | None = None

    @property
    def admin(self) -> Actor:
        return self.services.app.actor_for(self.demo.firm_id, self.demo.staff[ADMIN])

    def new_client(self, name: str, *, linked: bool = True, **overrides: Any) -> UUID:
        """A client of the demo firm of the test's own, with auto-send off so documents
        wait in the Inbox until the test sends them."""
        self._names += 1
        app, firm_id = self.services.app, self.demo.firm_id
        client_id = app.create_client(firm_id, self.admin, **client_fields(
            name=name, enterprise_number=_belgian_number(self._names), **overrides))
        app.change_auto_send(firm_id, client_id, False, self.admin)
        if linked:
            app.link_integration(firm_id, client_id, "octopus", self.admin,
                                 {"purchase_address": "purchase@octopus.example"})
        return client_id

    def receive(self, client_id: UUID, file_name: str,
                document_type: str | None = "purchase-invoice") -> UUID:
        return self.services.app.receive_document(IncomingDocument(
            self.demo.firm_id, client_id, PDF + file_name.encode(), file_name,
            "application/pdf", "upload", document_type=document_type,
        ), Actor.system("intake"))

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every consumer has gone through the newest event in the store."""
        app, deadline = self.services.app, time.monotonic() + timeout
        while time.monotonic() < deadline:
            head = app.recorder.max_notification_id() or 0
            with self.services.read_db.transaction() as tx:
                positions.create_table(tx)
                behind = [n for n in CONSUMERS
                          if positions.load(tx, n).get(("log", 0), 0) < head]
            if not behind:
                return
            time.sleep(0.02)
        raise AssertionError(f"the consumers did not catch up: {behind}")


def _belgian_number(n: int) -> str:
    """A valid enterprise number of our own (the check digits are mod 97)."""
    first = f"0{4_000_000 + n * 7919:07d}"
    return first + f"{97 - int(first) % 97:02d}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory,
         empty_sml: LocalSml) -> Iterator[Site]:  # noqa: F811
    data_dir = tmp_path_factory.mktemp("browser-site")
    services = bootstrap(Settings.from_env({
        "LUCY_DATA_DIR": str(data_dir), "LUCY_DNS_RESOLVER": empty_sml.address,
        "LUCY_PEPPOL_SML_ZONE": SML_ZONE, "LUCY_PEPPOL_LOOKUP_TIMEOUT": "2"}))
    demo = seed_demo(services.app)
    package = RecordingPackage()
    # Seeded first: the demo records its documents' outcomes itself, which a router
    # running at the same time would race.
    consumers = services.consumer_runner(
        [*services.projection_handlers(), Router(services.app, lambda code: package)],
        poll_timeout=0.05,
    )
    consumers.start()
    server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
    # The port is known only now: what LUCY_PUBLIC_URL would say (package consent
    # redirects back to it).
    services.settings = replace(services.settings,
                                public_url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, name="dashboard-http", daemon=True)
    thread.start()
    tokens = AccessTokens(services.read_db)
    found = Site(f"http://127.0.0.1:{server.server_port}", services, demo, package, {
        email: tokens.issue(demo.firm_id, staff_id, "browser tests")
        for email, staff_id in demo.staff.items()}, sml=empty_sml)
    found.settle(timeout=30)
    yield found
    server.shutdown()
    consumers.stop()
    services.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _service_missing(f"Playwright for Python ({error})")
    if not Path(CHROMIUM).exists():
        _service_missing(f"chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Screens:
    """Screenshots kept as test artefacts, named after the test."""

    def __init__(self, test_name: str) -> None:
        self.prefix = test_name.removeprefix("test_")

    def take(self, page: Any, step: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.prefix}--{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Screens:
    return Screens(request.node.name)


def _open(browser: Any, site: Site, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, base_url=site.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh browser window (no cookies) at laptop size."""
    yield from _open(browser, site, LAPTOP)


@pytest.fixture
def phone(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh browser window at the size of a phone (390 x 844)."""
    yield from _open(browser, site, PHONE)


def expect(target: Any) -> Any:
    """Playwright's ``expect``, imported when first used: without Playwright installed
    the tests are skipped (or fail in CI) by the ``browser`` fixture, not at collection."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def sign_in(page: Any, site: Site, email: str = ADMIN) -> None:
    """Sign in through the form, as a person does."""
    page.goto("/signin")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Personal access token").fill(site.tokens[email])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/")
