"""The Client's rules and constants, kept apart so client.py reads as its events."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID, uuid5

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import CompanyNumbers
from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound, PermissionDenied

INVITATION_VALIDITY = timedelta(days=21)
TRIAL_LENGTH = timedelta(days=30)
TRIAL_PLAN = "Business Pro"
PLANS = ("Starter", "Business", "Business Pro")

_CLIENT_IDS = UUID("5b0e8f0c-4c1e-4a55-9a57-2f5c3c1d7a10")
_SENDER = re.compile(r"^([^@\s]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$")


class ClientNotFound(NotFound):
    """Raised when the client does not exist in the acting firm."""


class DuplicateClient(DomainError):
    """Raised when the firm already has a client with the same enterprise number, VAT
    number or KvK number; ``existing_client_id`` names that client, ``field`` the number."""

    def __init__(self, field: str, existing_client_id: UUID) -> None:
        super().__init__(f"{field}: the firm already has a client with this number "
                         f"({existing_client_id})")
        self.field = field
        self.existing_client_id = existing_client_id


def client_id_for(firm_id: UUID, numbers: CompanyNumbers) -> UUID:
    """A client's id follows from its firm and its company's main number, so that the
    event store itself refuses a second client of the same company in the firm: two
    creations racing each other both write version 1 of the same aggregate id, and the
    store's unique (id, version) lets only the first one in."""
    return uuid5(_CLIENT_IDS, f"{firm_id}:{numbers.keys[0][1]}")


def client_ids_for(firm_id: UUID, numbers: CompanyNumbers) -> list[tuple[str, UUID]]:
    """(field, id) of every client the company could already be, by each of its numbers."""
    return [(field, uuid5(_CLIENT_IDS, f"{firm_id}:{key}")) for field, key in numbers.keys]


class ContactPersonLocked(DomainError):
    """Raised when replacing the contact person after that user activated the client."""


class AlreadyActive(DomainError):
    """Raised when inviting or activating a client that is already active."""


class NotInvited(DomainError):
    """Raised when an action needs an invited (or active) client and it is not."""


class InvitationInvalid(DomainError):
    """Raised when an invitation token does not belong to the client."""


class InvitationSuperseded(InvitationInvalid):
    """Raised when an older invitation link is used after a newer one was sent."""


class InvitationExpired(InvitationInvalid):
    """Raised when the invitation is used after its 21 days."""


class InvitationToRenew(DomainError):
    """Raised when replacing an invited client's contact person without the new link
    their invitation needs (the application always gives one)."""


class PeppolRegistrationToConfirm(DomainError):
    """Raised when enabling Peppol receiving while the lookup warned (the company is
    registered with another provider, or the directory could not be asked) and nobody
    confirmed; confirm explicitly to enable it anyway."""


class OneIntegrationAtATime(DomainError):
    """Raised when linking an integration while another one is linked."""


class PortalConfigurationMissing(DomainError):
    """Raised when linking an API or FTP integration the firm has not configured."""


class NoIntegrationLinked(DomainError):
    """Raised when unlinking while no integration is linked."""


def require_admin(by: Actor, what: str) -> None:
    if by.kind == "system":
        return
    if not by.is_admin:
        raise PermissionDenied(f"only an admin may {what}")


def allowed_senders(senders: list[str]) -> list[str]:
    """Normalise allowed senders: full addresses (``ap@acme.be``) or whole domains."""
    clean = set()
    for index, sender in enumerate(senders or []):
        value = str(sender).strip().lower().lstrip("@")
        if not _SENDER.match(value):
            raise InvalidValue(
                f"senders[{index}]", f"{sender!r} is neither an e-mail address nor a domain"
            )
        clean.add(value)
    return sorted(clean)
