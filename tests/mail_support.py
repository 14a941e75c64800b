"""A plain SMTP server (aiosmtpd, no TLS) for the service's own e-mails, reached through
``LUCY_SMTP_RELAY=smtp://127.0.0.1:<port>?from=...&starttls=false`` as an operator would
configure a local relay; and helpers to read what arrived."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    port: int
    received: list[EmailMessage] = field(default_factory=list)

    @property
    def relay_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=lucy@firm.test&starttls=false"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in str(m["To"])]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content or envelope.content,
                                    policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.inbox.received.append(parsed)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    inbox = Inbox(_free_port())
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML body."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None, "both a plain-text and an HTML body"
    return str(text.get_content()), str(html.get_content())


def link_in(message: EmailMessage) -> str:
    found = re.search(r"https?://\S+/invitations/[0-9a-f]{32}\.[\w-]+", bodies(message)[0])
    assert found, "the message carries an invitation link"
    return found.group(0)
