"""Delivery by e-mail to the package's mail-in address for the client (smtplib).

E-mail packages have no firm-level configuration: every message leaves through the
service's own SMTP relay (``SmtpRelay``), with STARTTLS before any password is sent.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

import structlog

from lucy_events.routers.integrations.base import (
    Delivered,
    DeliveryError,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    Target,
    TransientDeliveryError,
    setting,
)
from lucy_events.routers.integrations.payload import is_sales, payload_of

log = structlog.get_logger()


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


class EmailIntegration(Integration):
    def __init__(self, relay: SmtpRelay) -> None:
        self.relay = relay

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        message = build_message(outgoing, target, self.relay.from_address)
        try:
            self._send(message)
        except smtplib.SMTPException as error:
            raise _smtp_error(error) from error
        except ssl.SSLCertVerificationError as error:
            raise PermanentDeliveryError(f"SMTP relay certificate rejected ({error})") from error
        except OSError as error:
            raise TransientDeliveryError(f"SMTP relay unreachable: {error}") from error
        log.info("document mailed", package=target.package,
                 document_id=str(outgoing.document_id), message_id=message["Message-ID"])
        return Delivered(message["Message-ID"])

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        """Always None: nobody can ask a mailbox what it received. The Message-ID is
        derived from the delivery key, so a package that de-duplicates on Message-ID
        files a document mailed twice only once."""
        return None

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


def recipient(outgoing: Outgoing, target: Target) -> str:
    """Sales documents go to the client's sales address at the package if it has one;
    everything else (and sales documents without one) to its purchase address."""
    settings = target.client_settings
    if is_sales(outgoing.document_type) and settings.get("sales_address"):
        return settings["sales_address"]
    return setting(settings, "purchase_address", f"{target.package} client")


def build_message(outgoing: Outgoing, target: Target, from_address: str) -> EmailMessage:
    payload = payload_of(outgoing)
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = recipient(outgoing, target)
    message["Subject"] = f"{outgoing.client_name}: {payload.file_name}"
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<{outgoing.delivery_key}@lucy-events>"
    message["X-Lucy-Document-Type"] = outgoing.document_type
    message.set_content(
        f"{outgoing.document_type} for {outgoing.client_name}"
        f"{f' ({outgoing.client_vat})' if outgoing.client_vat else ''}, "
        f"received {outgoing.received_at:%Y-%m-%d}.\n"
    )
    maintype, _, subtype = payload.media_type.partition("/")
    message.add_attachment(payload.content, maintype=maintype or "application",
                           subtype=subtype or "octet-stream", filename=payload.file_name)
    return message


def _smtp_error(error: smtplib.SMTPException) -> DeliveryError:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (550, b""))
        return _by_code(code, f"recipient refused: {code} {_text(text)}")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return PermanentDeliveryError(f"SMTP relay refused the credentials: {error.smtp_code}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PermanentDeliveryError(f"SMTP relay lacks a required extension: {error}")
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, f"SMTP {error.smtp_code} {_text(error.smtp_error)}")
    return TransientDeliveryError(f"SMTP session failed: {error}")


def _by_code(code: int, reason: str) -> DeliveryError:
    # 4xx is the server's "not now" (greylisting, full mailbox, busy); 5xx will repeat.
    if 400 <= code < 500:
        return TransientDeliveryError(reason)
    return PermanentDeliveryError(reason)


def _text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else raw
