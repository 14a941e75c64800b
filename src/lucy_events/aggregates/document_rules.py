"""The Document's rules and vocabulary, kept apart so document.py reads as its events."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from lucy_events.aggregates.errors import DomainError, Gone, InvalidValue, NotFound


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
CHANNELS = ("email", "upload", "peppol", "api", "invoicing")
SENDABLE = (DocumentStatus.INBOX, DocumentStatus.FAILED)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DocumentNotFound(NotFound):
    """Raised when the document does not exist in the acting firm, or was deleted."""


class ContentDisposed(Gone):
    """Raised when fetching a document's contents after the retention period removed
    them; its history stays."""


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


# --- Recognition: what was read from the document, corrections, duplicates -----------

#: The fields recognition reads and accountants correct, as primitive values on the
#: events: text, dates as YYYY-MM-DD, amounts as decimal strings.
DATE_FIELDS = ("issue_date", "due_date")
AMOUNT_FIELDS = ("total_excl_vat", "total_vat", "total_incl_vat")
FIELD_NAMES = (
    "supplier_name", "supplier_vat", "supplier_enterprise_number", "customer_name",
    "customer_vat", "invoice_number", "issue_date", "due_date", "currency", "total_excl_vat",
    "total_vat", "total_incl_vat", "iban", "structured_communication",
)
#: A type read with at least this confidence makes the document recognised (and typed,
#: when nobody gave it a type by hand); below it the document waits for a person.
CONFIDENT = 0.8
DUPLICATE_GROUNDS = ("same-content", "same-supplier-and-number")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^-?\d{1,13}(\.\d{1,4})?$")


class SuspectedDuplicate(DomainError):
    """Raised when sending a document held as a possible duplicate of an earlier one:
    dismiss the suspicion (not a duplicate) or delete the document first."""


class NotSuspectedDuplicate(DomainError):
    """Raised when dismissing a duplicate suspicion the document does not have."""


def field_value(name: str, value: object) -> str | None:
    """A recognised or corrected field as the events keep it; ``InvalidValue`` naming the
    field when it cannot be one. Empty text clears the field."""
    if name not in FIELD_NAMES:
        raise InvalidValue(name, f"is not a document field; one of {', '.join(FIELD_NAMES)}")
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if name in DATE_FIELDS:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidValue(name, "must be a date written YYYY-MM-DD") from None
    if name in AMOUNT_FIELDS:
        text = _plain_amount(text)
        if not _AMOUNT.match(text):
            raise InvalidValue(name, "must be an amount such as 1234.56")
        return str(Decimal(text))
    if name == "currency":
        if not _CURRENCY.match(text.upper()):
            raise InvalidValue(name, "must be a three-letter currency code such as EUR")
        return text.upper()
    if len(text) > 255:
        raise InvalidValue(name, "must be at most 255 characters")
    return text


def _plain_amount(text: str) -> str:
    """1.234,56, 1,234.56 and 1 234,56 as 1234.56: a person types the amount as the
    document shows it, and the last separator is the decimal one."""
    text = text.replace(" ", "").replace("\u00a0", "")
    last = max(text.rfind(","), text.rfind("."))
    if last < 0:
        return text
    whole, decimals = text[:last], text[last + 1:]
    return whole.replace(",", "").replace(".", "") + "." + decimals


def confidence_value(value: float) -> float:
    if not 0.0 <= float(value) <= 1.0:
        raise InvalidValue("confidence", "must be between 0 and 1")
    return float(value)


def recognition_types_it(
    read_type: str | None, confidence: float, type_source: str | None, status: str
) -> bool:
    """A confident type read types the document, unless a person gave it one, or it is
    no longer in the Inbox or Failed (its type cannot change then)."""
    return (read_type is not None and confidence >= CONFIDENT
            and type_source in (None, "recognition")
            and status in (DocumentStatus.INBOX.value, DocumentStatus.FAILED.value))


def duplicate_ground(value: str) -> str:
    if value not in DUPLICATE_GROUNDS:
        raise InvalidValue("ground", f"must be one of {', '.join(DUPLICATE_GROUNDS)}")
    return value
