"""Real servers for the delivery adapters, started once per test session on 127.0.0.1
and emptied before each test: SMTP (aiosmtpd, STARTTLS + AUTH), FTP and FTPS
(pyftpdlib), and local HTTP fakes of Exact Online, Yuki and a webhook receiver."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from lucy_events.routers.integrations import Outgoing
from tests.integration.delivery import ftp_server, smtp_server
from tests.integration.delivery.certificates import Certificate, self_signed
from tests.integration.delivery.fake_exact import ExactHandler, FakeExact
from tests.integration.delivery.fake_webhook import FakeWebhook, WebhookHandler
from tests.integration.delivery.fake_yuki import FakeYuki, YukiHandler
from tests.integration.delivery.http_server import serving

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


class WallClock:
    """Real time until a test moves it; ``sleep`` moves it instead of sleeping."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def _mail_server(certificate: Certificate) -> Iterator[smtp_server.MailServer]:
    controller, server = smtp_server.start(certificate.server_context())
    yield server
    controller.stop()


@pytest.fixture
def mail_server(_mail_server: smtp_server.MailServer) -> smtp_server.MailServer:
    _mail_server.reset()
    return _mail_server


@pytest.fixture(scope="session")
def _ftp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ftp_server.FtpState]:
    thread, state = ftp_server.start(tmp_path_factory.mktemp("ftp-home"))
    yield state
    thread.stop()


@pytest.fixture(scope="session")
def _ftps(tmp_path_factory: pytest.TempPathFactory,
          certificate: Certificate) -> Iterator[ftp_server.FtpState]:
    thread, state = ftp_server.start(
        tmp_path_factory.mktemp("ftps-home"),
        tls_cert=(certificate.cert_path, certificate.key_path))
    yield state
    thread.stop()


@pytest.fixture
def ftp(_ftp: ftp_server.FtpState) -> ftp_server.FtpState:
    _ftp.reset()
    return _ftp


@pytest.fixture
def ftps(_ftps: ftp_server.FtpState) -> ftp_server.FtpState:
    _ftps.reset()
    return _ftps


@pytest.fixture
def wall_clock() -> WallClock:
    return WallClock()


@pytest.fixture
def exact(wall_clock: WallClock) -> Iterator[tuple[str, FakeExact]]:
    state = FakeExact(clock=wall_clock)
    with serving(ExactHandler, state) as url:
        yield url, state


@pytest.fixture
def yuki() -> Iterator[tuple[str, FakeYuki]]:
    state = FakeYuki()
    with serving(YukiHandler, state) as url:
        yield url, state


@pytest.fixture
def webhook() -> Iterator[tuple[str, FakeWebhook]]:
    state = FakeWebhook()
    with serving(WebhookHandler, state) as url:
        yield url, state


@pytest.fixture
def outgoing() -> Callable[..., Outgoing]:
    """Builds a document on its way out; keyword arguments override the defaults."""

    def build(**overrides: Any) -> Outgoing:
        fields: dict[str, Any] = {
            "document_id": uuid.uuid4(),
            "client_id": uuid.uuid4(),
            "firm_id": uuid.uuid4(),
            "client_name": "Bakkerij Janssens BV",
            "client_vat": "BE0123456749",
            "client_enterprise_number": "0123456749",
            "file_name": "invoice-2026-117.pdf",
            "media_type": "application/pdf",
            "content": PDF,
            "document_type": "purchase-invoice",
            "received_at": datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
            "ubl": None,
        }
        fields.update(overrides)
        return Outgoing(**fields)

    return build


def unused_port() -> int:
    return smtp_server.free_port()
