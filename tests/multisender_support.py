"""A plain SMTP server (aiosmtpd) the multisender's tests steer: it answers chosen
recipients with a reply of their own (a 4xx or 5xx), and can hold a message's DATA
unanswered until told to go on (to kill a worker while its mail is in flight)."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.mail_support import _free_port, bodies


@dataclass
class SteeredSmtp:
    port: int
    received: list[EmailMessage] = field(default_factory=list)
    #: recipient -> the reply to its RCPT, e.g. "451 4.7.1 Greylisted, try later"
    replies: dict[str, str] = field(default_factory=dict)
    rcpt_attempts: list[str] = field(default_factory=list)
    #: set: the next DATA is kept, then waits for ``release`` before it is answered
    hold: bool = False
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def relay_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=lucy@firm.test&starttls=false"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in str(m["To"])]


class _Handler:
    def __init__(self, server: SteeredSmtp) -> None:
        self.server = server

    async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        self.server.rcpt_attempts.append(address)
        if address in self.server.replies:
            return self.server.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content or envelope.content,
                                    policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.server.received.append(parsed)  # queued: it goes on, whatever the reply's fate
        if self.server.hold:
            self.server.hold = False
            self.server.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.server.release.wait)
        return "250 Message accepted for delivery"


@pytest.fixture
def steered_smtp() -> Iterator[SteeredSmtp]:
    server = SteeredSmtp(_free_port())
    controller = Controller(_Handler(server), hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    server.release.set()
    controller.stop()


def confirmation_link(message: EmailMessage) -> str:
    found = re.search(r"https?://\S+/portal/destinations/confirm/[0-9a-f]{32}\.[\w-]+",
                      bodies(message)[0])
    assert found, "the message carries a confirmation link"
    return found.group(0)
