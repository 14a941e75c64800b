"""Outgoing mail through an SMTP relay (smtplib), STARTTLS before any password."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cached_property

from lucy_events.kept_sessions import KeptSessions
from lucy_events.notifications.mailer import (
    Mailer,
    MailError,
    PermanentMailError,
    TransientMailError,
)
from lucy_events.notifications.rendered import RenderedMail

#: The one account a mailer's connections sign in to: its relay.
_RELAY = "relay"


@dataclass(frozen=True)
class SmtpRelay:
    host: str
    port: int
    from_address: str
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    #: Trust for the relay's certificate; None means the system's default verification.
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.username and not self.starttls:
            raise ValueError("refusing to send SMTP credentials without STARTTLS")

    @cached_property
    def local_hostname(self) -> str:
        """The name given in EHLO: smtplib looks it up (getfqdn, a resolver round trip)
        for every connection unless told; it does not change while the process runs."""
        return socket.getfqdn()


class SmtpMailer(Mailer):
    kind = "smtp"

    def __init__(self, relay: SmtpRelay) -> None:
        self.relay = relay
        self.from_address = relay.from_address
        self._kept: KeptSessions[smtplib.SMTP] = KeptSessions(_quit, name="SMTP")

    def send(self, message: EmailMessage) -> str:
        self._session(lambda smtp: smtp.send_message(message))
        return str(message["Message-ID"])

    def send_rendered(self, mail: RenderedMail) -> str:
        self._session(lambda smtp: smtp.sendmail(mail.sender, [mail.recipient], mail.data))
        return mail.message_id

    def _session(self, send: Callable[[smtplib.SMTP], object]) -> None:
        """``send`` on this thread's kept connection to the relay, else on a new one; its
        failures as MailErrors. A kept connection the relay closed meanwhile fails at its
        first command (MAIL FROM): then once more on a new connection."""
        try:
            self._kept.run(_RELAY, self._open, send, stale=_dropped)
        except smtplib.SMTPException as error:
            raise smtp_error(error) from error
        except ssl.SSLCertVerificationError as error:
            raise PermanentMailError(f"SMTP relay certificate rejected ({error})") from error
        except OSError as error:
            raise TransientMailError(f"SMTP relay unreachable: {error}") from error

    def _open(self) -> smtplib.SMTP:
        relay = self.relay
        smtp = smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout,
                            local_hostname=relay.local_hostname)
        try:
            smtp.ehlo()
            if relay.starttls:
                smtp.starttls(context=relay.ssl_context or ssl.create_default_context())
                smtp.ehlo()
            if relay.username:
                smtp.login(relay.username, relay.password or "")
        except BaseException:
            _quit(smtp)
            raise
        return smtp


def _dropped(error: Exception) -> bool:
    """Whether a kept connection's error says the relay closed it: disconnected, or a
    network error (not the relay's answer, nor its certificate, which count as they are)."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(
        error, smtplib.SMTPException | ssl.SSLCertVerificationError)


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def smtp_error(error: smtplib.SMTPException) -> MailError:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (550, b""))
        return _by_code(code, f"recipient refused: {code} {_text(text)}")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return PermanentMailError(f"SMTP relay refused the credentials: {error.smtp_code}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PermanentMailError(f"SMTP relay lacks a required extension: {error}")
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, f"SMTP {error.smtp_code} {_text(error.smtp_error)}")
    return TransientMailError(f"SMTP session failed: {error}")


def _by_code(code: int, reason: str) -> MailError:
    # 4xx is the server's "not now" (greylisting, full mailbox, busy); 5xx will repeat.
    if 400 <= code < 500:
        return TransientMailError(reason)
    return PermanentMailError(reason)


def _text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else raw
