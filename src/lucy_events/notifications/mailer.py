"""The outgoing-mail interface and its one error tree.

A ``Mailer`` takes a finished ``EmailMessage`` (From, To, Subject, Message-ID set) and
either hands it on or raises: ``TransientMailError`` (worth trying again later) or
``PermanentMailError`` (will fail the same way until someone fixes something). It never
drops a message silently; whoever calls it decides whether to retry
(``notifications.sending.send_with_retries``) or to surface the failure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import cast

from lucy_events.notifications.rendered import RenderedMail


class MailError(Exception):
    """Base of the mail errors; ``reason`` is safe to show to staff (no secrets)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientMailError(MailError):
    """Raised when the relay could not be reached or said "not now" (4xx): send again."""


class PermanentMailError(MailError):
    """Raised when the relay refused the message, the recipient or the credentials
    (5xx, TLS trust): sending it again will fail the same way until the cause is fixed."""


class Mailer(ABC):
    #: The sender address of messages built by this service (the relay's ``from``).
    from_address: str
    #: "smtp" or "outbox": shown to admins, so they know where mail goes.
    kind: str

    @abstractmethod
    def send(self, message: EmailMessage) -> str:
        """Hand the message on; returns its Message-ID. Sending a message with the same
        Message-ID twice is harmless for the outbox (one file) and left to the
        receiving side's de-duplication for SMTP."""

    def send_rendered(self, mail: RenderedMail) -> str:
        """Hand on a message already written to its bytes (a delivered document); the
        same contract as ``send``. A relay takes the bytes as they are; by default they
        are read back into a message."""
        message = BytesParser(policy=policy.default).parsebytes(mail.data)
        return self.send(cast(EmailMessage, message))
