"""The Document's rules and vocabulary, kept apart so document.py reads as its events."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound


class DocumentStatus(StrEnum):
    INBOX = "Inbox"
    SENDING = "Sending"
    SENT = "Sent"
    FAILED = "Failed"
    REJECTED = "Rejected"
    ARCHIVED = "Archived"
    DELETED = "Deleted"


DOCUMENT_TYPES = (
    "purchase-invoice",
    "purchase-credit-note",
    "sales-invoice",
    "sales-credit-note",
    "receipt",
    "bank-statement",
    "other",
)
CHANNELS = ("email", "upload", "peppol", "api")
SENDABLE = (DocumentStatus.INBOX, DocumentStatus.FAILED)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DocumentNotFound(NotFound):
    """Raised when the document does not exist in the acting firm, or was deleted."""


class UntypedDocumentCannotBeSent(DomainError):
    """Raised when sending a document nobody (or nothing) has given a type yet."""


class AlreadySent(DomainError):
    """Raised when sending, failing or deleting a document that was already sent."""


class SendAlreadyRequested(DomainError):
    """Raised when a send is requested while an earlier one is still in progress."""


class NotSendable(DomainError):
    """Raised when sending a document that is neither in the Inbox nor Failed."""


class NoSendInProgress(DomainError):
    """Raised when recording a delivery outcome for a document nobody asked to send."""


class NotStuck(DomainError):
    """Raised when resending a document that is not in Sending, or whose send was
    requested too recently to call it stuck (it may still be on its way)."""


#: The reason recorded when ops resend a document stuck in Sending.
STUCK_REASON = "stuck in Sending; sent again"


def check_stuck(status: DocumentStatus, requested_at: datetime,
                requested_before: datetime) -> None:
    """A document is stuck when it is still in Sending and its send was requested
    before ``requested_before`` (ops' threshold: its request was lost or parked)."""
    if status is not DocumentStatus.SENDING:
        raise NotStuck(f"only a document in Sending can be stuck ({status.value})")
    if requested_at > requested_before:
        raise NotStuck(f"its send was requested at {requested_at.isoformat()}, after "
                       f"{requested_before.isoformat()}: it may still be on its way")


class ArchiveOnlyAfterSent(DomainError):
    """Raised when archiving a document that has not been sent."""


class SentDocumentCannotBeDeleted(DomainError):
    """Raised when deleting a document that was sent (it is part of the books)."""


class DocumentLocked(DomainError):
    """Raised when changing a document that is being sent, sent or deleted."""


def valid_document_type(value: str | None, field: str = "document_type") -> str | None:
    if value is None:
        return None
    if value not in DOCUMENT_TYPES:
        raise InvalidValue(field, f"must be one of {', '.join(DOCUMENT_TYPES)}")
    return value


def valid_channel(value: str) -> str:
    if value not in CHANNELS:
        raise InvalidValue("channel", f"must be one of {', '.join(CHANNELS)}")
    return value


def sha256_hex(value: str) -> str:
    if not _SHA256.match(value or ""):
        raise InvalidValue("sha256", "must be 64 lowercase hexadecimal characters")
    return value
