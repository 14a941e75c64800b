"""The SMTP intake served for real, as ``serve`` runs it: built by bootstrap from
settings (inbox domain, size limit, STARTTLS certificate, DNS resolver), beside the
HTTP API over the same application and read models. A dnslib server on a loopback
port answers the SPF and DKIM lookups; tests talk to both servers with smtplib and
urllib like a mail server and an API client would.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller

from lucy_events.bus import positions
from lucy_events.config import Settings
from lucy_events.web.consistency import READ_MODELS
from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.conftest import free_port
from tests.integration.delivery.certificates import Certificate, self_signed
from tests.integration.intake.local_dns import LocalDns
from tests.mails import DkimKey, dkim_key, wire

DOMAIN = "inbox.test"
#: Small, so oversized mail is tested without sending megabytes.
SIZE_LIMIT = 200 * 1024


@dataclass
class IntakeSite:
    api: ApiServer
    smtp: Controller
    dns: LocalDns
    certificate: Certificate
    key: DkimKey

    @property
    def port(self) -> int:
        return int(self.smtp.port)

    def address(self, client_id: str | UUID) -> str:
        client = self.api.services.app.client_for_operator(UUID(str(client_id)))
        return f"{client.inbox_local_part}@{DOMAIN}"

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every read model has the newest event in the store (the SMTP
        server wrote it, in a thread of its own)."""
        services, deadline = self.api.services, time.monotonic() + timeout
        head = services.app.recorder.max_notification_id() or 0
        while True:
            with services.read_db.transaction() as tx:
                behind = [n for n in READ_MODELS
                          if positions.load(tx, n).get(("log", 0), 0) < head]
            if not behind:
                return
            assert time.monotonic() < deadline, f"read models behind: {behind}"
            time.sleep(0.02)

    def new_client(self, firm: Firm, **overrides: Any) -> dict[str, Any]:
        """A client whose inbox address already answers (the read model has it)."""
        client = firm.new_client(**overrides)
        address, intake = self.address(client["id"]), self.api.services.mail_intake()
        deadline = time.monotonic() + 10
        while intake.inbox(address) is None:
            assert time.monotonic() < deadline, "the inbox address never showed up"
            time.sleep(0.02)
        return client

    def send(self, message: EmailMessage | bytes, to: list[str], *,
             mail_from: str = "ap@supplier.example", starttls: bool = False,
             helo: str = "mx.supplier.example") -> dict[str, tuple[int, bytes]]:
        """Send as a mail server would; raises smtplib's errors on a refusal."""
        raw = message if isinstance(message, bytes) else wire(message)
        with smtplib.SMTP("127.0.0.1", self.port, local_hostname=helo, timeout=30) as smtp:
            if starttls:
                smtp.starttls(context=self.certificate.client_context())
            refused = smtp.sendmail(mail_from, to, raw)
        return refused


@pytest.fixture(scope="session")
def intake_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IntakeSite]:
    data_dir: Path = tmp_path_factory.mktemp("smtp-intake")
    certificate = self_signed(data_dir)
    dns = LocalDns().start()
    key = dkim_key("signed.example")
    dns.txt("supplier.example", "v=spf1 ip4:127.0.0.1 -all")
    dns.txt("spoofed.example", "v=spf1 ip4:192.0.2.1 -all")
    dns.txt("signed.example", "v=spf1 ip4:192.0.2.1 -all")
    dns.txt(key.record_name, key.public_record)
    settings = Settings(
        data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'events.sqlite'}",
        blob_dir=data_dir / "blobs", read_database_url=f"sqlite:///{data_dir / 'read.sqlite'}",
        secrets_file=data_dir / "secrets.json", max_upload_bytes=SIZE_LIMIT,
        smtp_host="127.0.0.1", smtp_port=free_port(), inbox_domain=DOMAIN,
        smtp_tls_cert=certificate.cert_path, smtp_tls_key=certificate.key_path,
        dns_resolver=dns.address,
    )
    api = ApiServer(settings)
    for projection in api.services.projection_handlers():
        projection.ensure_tables()  # (each makes its tables on its first event otherwise)
    smtp = api.services.smtp_server()
    smtp.start()
    yield IntakeSite(api, smtp, dns, certificate, key)
    smtp.stop()
    api.close()
    dns.stop()


@pytest.fixture
def site(intake_site: IntakeSite) -> IntakeSite:
    return intake_site


@pytest.fixture
def firm(intake_site: IntakeSite) -> Firm:
    return intake_site.api.firm()
