"""A real SMTP server (aiosmtpd) requiring STARTTLS and AUTH, recording what it accepts."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME, PASSWORD = "relay-user", "relay-password"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    over_tls: bool
    login: bytes | None
    #: The client's address and port: the same for mails sent over one connection.
    peer: object = None

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class MailServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    #: Recipients answered with a reply of their own, e.g. "550 5.1.1 ...".
    refuse: dict[str, str] = field(default_factory=dict)

    def reset(self) -> None:
        self.received.clear()
        self.refuse.clear()


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.server.refuse:
            return self.server.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        self.server.received.append(Received(
            envelope.mail_from, list(envelope.rcpt_tos),
            envelope.original_content or envelope.content,
            over_tls=session.ssl is not None,
            login=session.auth_data.login if session.authenticated else None,
            peer=session.peer,
        ))
        return "250 Message accepted for delivery"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(tls_context: ssl.SSLContext) -> tuple[Controller, MailServer]:
    server = MailServer("127.0.0.1", free_port())
    controller = Controller(
        _Handler(server), hostname=server.host, port=server.port,
        tls_context=tls_context, require_starttls=True,
        auth_required=True, auth_require_tls=True, authenticator=_authenticator,
    )
    controller.start()
    return controller, server
