"""Outgoing mail through an SMTP relay (smtplib), STARTTLS before any password."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from lucy_events.notifications.mailer import (
    Mailer,
    MailError,
    PermanentMailError,
    TransientMailError,
)


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


class SmtpMailer(Mailer):
    kind = "smtp"

    def __init__(self, relay: SmtpRelay) -> None:
        self.relay = relay
        self.from_address = relay.from_address

    def send(self, message: EmailMessage) -> str:
        try:
            self._send(message)
        except smtplib.SMTPException as error:
            raise smtp_error(error) from error
        except ssl.SSLCertVerificationError as error:
            raise PermanentMailError(f"SMTP relay certificate rejected ({error})") from error
        except OSError as error:
            raise TransientMailError(f"SMTP relay unreachable: {error}") from error
        return str(message["Message-ID"])

    def _send(self, message: EmailMessage) -> None:
        relay = self.relay
        with smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout) as smtp:
            smtp.ehlo()
            if relay.starttls:
                smtp.starttls(context=relay.ssl_context or ssl.create_default_context())
                smtp.ehlo()
            if relay.username:
                smtp.login(relay.username, relay.password or "")
            smtp.send_message(message)


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
