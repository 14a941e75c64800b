"""The multisender's rules and their errors: a client's own extra destinations
(e-mail addresses, each confirmed from a link mailed to it before it is used) and the
sendings of documents to them, which never touch the documents' delivery to the
accountant's package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import required_text, valid_email
from lucy_events.aggregates.errors import DomainError, NotFound, PermissionDenied

#: How long a confirmation link works; a new one can be asked for after.
CONFIRMATION_VALIDITY = timedelta(days=7)
#: Enough for a package's mail-in addresses and a few colleagues; a typo'd list is not.
MAX_DESTINATIONS = 20
MAX_LABEL = 80
#: A failure's reason is kept this long at most (an SMTP reply, never a secret).
MAX_REASON = 500


class DestinationNotFound(NotFound):
    """Raised when the client has no such destination (never had it, or removed it)."""


class DestinationNotConfirmed(DomainError):
    """Raised when a document is sent to an address whose owner has not confirmed it
    yet: open the link in the confirmation e-mail first (or ask for a new one)."""


class DestinationExists(DomainError):
    """Raised when the address is already one of the client's destinations."""


class TooManyDestinations(DomainError):
    """Raised when the client already has ``MAX_DESTINATIONS``: remove one first."""


class ConfirmationLinkInvalid(NotFound):
    """Raised when a confirmation link is unknown, was replaced by a newer one, was used
    already, or its destination was removed: ask for a new link."""


class ConfirmationLinkExpired(DomainError):
    """Raised when a confirmation link is older than ``CONFIRMATION_VALIDITY``: ask for
    a new link on the Integrations page."""


class SendingNotFound(NotFound):
    """Raised when the document has no such sending."""


class SendingNotRetryable(DomainError):
    """Raised when a sending is asked to go again while it is not Failed (it is on its
    way, or was sent: a sent copy is never sent a second time)."""


#: The client's own side: one of its users (the portal), or the client as a whole.
CLIENT_SIDE = ("client_user", "client")


def check_client_side(by: Actor) -> None:
    """Only the client itself manages and uses its multisender (seed: "Only the client
    can set this up via Settings > Integrations"); staff read it."""
    if by.kind not in CLIENT_SIDE:
        raise PermissionDenied("only the client's own users manage and use its multisender")


def checked_address(address: str) -> str:
    return valid_email(address, "address")


def checked_label(label: str | None, address: str) -> str:
    return required_text(label or address, "label", MAX_LABEL)


@dataclass
class Destination:
    """One of the client's addresses. ``token_hash``: of the link that confirms it now
    (None once confirmed); ``used_hashes``: links that worked once, or were replaced."""

    destination_id: UUID
    address: str
    label: str
    confirmed: bool
    token_hash: str | None
    expires_at: datetime | None
    added_at: datetime
    confirmed_at: datetime | None = None


@dataclass
class Sending:
    """One document on its way to one destination: ``status`` is "requested", "sent"
    or "failed" (not an enum on the wire); ``attempt`` counts the requests."""

    sending_id: UUID
    document_id: UUID
    destination_id: UUID
    address: str
    label: str
    attempt: int
    status: str
    requested_at: datetime
    requested_by: str
    at: datetime
    message_id: str | None = None
    reason: str | None = None
    retryable: bool | None = None

    @property
    def key(self) -> str:
        """The delivery key: the same for every attempt, so a crash between the mail
        leaving and the outcome being recorded never sends a second copy."""
        return f"multisend:{self.sending_id}"

    @property
    def message_id_header(self) -> str:
        return f"<multisend-{self.sending_id.hex}@lucy-events>"
