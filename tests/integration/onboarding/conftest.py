"""A site for the onboarding tests: the service built by bootstrap from Settings (the
SMTP relay of LUCY_SMTP_RELAY pointing at a real aiosmtpd server, or none: the outbox),
the Flask app over it, a firm with an admin signed in to the dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.staff_sessions import StaffSessions
from lucy_events.web import create_app
from lucy_events.web.api.freshness import wait_for_own_writes
from tests.conftest import FakeClock
from tests.mail_support import Inbox, smtp_inbox  # noqa: F401  (the fixture)
from tests.support import Office, open_office


def settings_for(data_dir: Path, relay_url: str | None = None) -> Settings:
    return Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'events.sqlite'}",
                    blob_dir=data_dir / "blobs",
                    read_database_url=f"sqlite:///{data_dir / 'read.sqlite'}",
                    secrets_file=data_dir / "secrets.json", smtp_relay_url=relay_url)


@dataclass
class Site:
    services: Services
    flask: Flask
    office: Office
    clock: FakeClock

    def signed_in(self, staff_id: UUID | None = None) -> FlaskClient:
        browser = self.flask.test_client()
        staff = staff_id or UUID(self.office.admin.id)
        role = self.services.app.firm(self.office.firm_id).member(staff).role.value
        session_id = StaffSessions(self.services.read_db).start(self.office.firm_id, staff, role)
        with browser.session_transaction() as session:  # as signing in sets it
            session.update(sid=session_id, firm_id=str(self.office.firm_id),
                           staff_id=str(staff), csrf_token="test-csrf")
        return browser

    def settle(self) -> None:
        """Wait for the read models to catch up with the commands of the test."""
        assert wait_for_own_writes(self.services, timeout=10)

    def post(self, browser: FlaskClient, path: str, **form: Any) -> Any:
        return browser.post(path, data={"csrf_token": "test-csrf", **form})


def _site(settings: Settings) -> Iterator[Site]:
    clock = FakeClock()
    services = bootstrap(settings, clock=clock)
    consumers = services.consumer_runner(services.projection_handlers())
    consumers.start()
    office = open_office(services.app)
    flask = create_app(services)
    flask.config["SERVER_NAME"] = "lucy.test"
    yield Site(services, flask, office, clock)
    consumers.stop()
    services.close()


@pytest.fixture
def site(tmp_path: Path, smtp_inbox: Inbox) -> Iterator[Site]:  # noqa: F811
    """Mail goes to the aiosmtpd server through LUCY_SMTP_RELAY."""
    yield from _site(settings_for(tmp_path, smtp_inbox.relay_url))


@pytest.fixture
def outbox_site(tmp_path: Path) -> Iterator[Site]:
    """No relay: mail goes to the outbox under the data directory."""
    yield from _site(settings_for(tmp_path))
