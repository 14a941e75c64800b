"""The contract between the router and every delivery adapter, and their one error tree.

The router hands an adapter an ``Outgoing`` document and the client's ``Target``; the
adapter answers ``Delivered`` or raises one of the errors below, which tell the router
what to do next: retry later, give up until someone fixes something, or record that the
package refused the document.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Outgoing:
    """One document on its way to a package: what the adapters may send, nothing more."""

    document_id: UUID
    client_id: UUID
    firm_id: UUID
    client_name: str
    client_vat: str | None
    client_enterprise_number: str | None
    file_name: str
    media_type: str
    content: bytes = field(repr=False)
    document_type: str
    received_at: datetime
    #: The UBL XML (with the PDF embedded by whoever built it), when the client chose
    #: UBL instead of PDF and one exists; adapters then send it instead of ``content``.
    ubl: bytes | None = field(default=None, repr=False)

    @property
    def delivery_key(self) -> str:
        """The same for every attempt at this document, so each adapter can make its
        delivery idempotent with it (Message-ID, remote file name, external reference,
        Idempotency-Key)."""
        return f"lucy-{self.document_id.hex}"


@dataclass(frozen=True)
class Target:
    """Where the client's documents go: its package, its own settings at the package and
    the firm's (non-secret) portal configuration; secrets stay in the secret store."""

    package: str
    kind: str
    client_settings: dict[str, str] = field(default_factory=dict)
    portal_settings: dict[str, str] = field(default_factory=dict)
    credentials_ref: str | None = None


@dataclass(frozen=True)
class Delivered:
    """The package has the document; ``remote_reference`` is how the package names it.
    ``existing``: it was there already (delivered before a crash), nothing was sent now."""

    remote_reference: str
    existing: bool = False


class DeliveryError(Exception):
    """Base of the delivery errors; ``reason`` is safe to record and show to staff (it
    never holds a secret or the document's contents)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientDeliveryError(DeliveryError):
    """Raised when the package could not be reached or asked us to slow down (network
    errors, timeouts, 5xx, 429): the same delivery is worth retrying, no sooner than
    ``retry_after`` seconds when the package said so."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """Raised when retrying will not help until someone fixes something: credentials
    rejected or revoked, a setting missing or wrong, a 4xx the package will repeat."""


class RejectedByPackage(DeliveryError):
    """Raised when the package refused the document itself (a duplicate invoice, a file
    it cannot read): the document, not the configuration, needs attention."""


class Integration(ABC):
    """A way of delivering documents to one kind of accounting package."""

    @abstractmethod
    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        """Hand the document to the package, idempotently under its delivery key."""

    @abstractmethod
    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        """The remote reference if the package already has this document under its
        delivery key, else None. The router asks before delivering, so a crash between
        the package accepting a document and the router recording it never delivers
        the document twice."""

    def deliver_once(self, outgoing: Outgoing, target: Target) -> Delivered:
        """Deliver unless the package already has the document. Adapters that can ask
        and deliver in one session (FTP) override this to save a connection."""
        reference = self.find_delivered(outgoing, target)
        if reference is not None:
            return Delivered(reference, existing=True)
        return self.deliver(outgoing, target)

    def check_connection(self, target: Target) -> str:
        """A real check of the firm's set-up that delivers nothing ("Test connection");
        what was found, or the delivery error a delivery would raise."""
        raise PermanentDeliveryError(f"{target.package} has no connection test")


def setting(settings: dict[str, str], name: str, where: str) -> str:
    """A required setting, or a permanent failure naming what is missing."""
    value = (settings.get(name) or "").strip()
    if not value:
        raise PermanentDeliveryError(f"{where} setting {name!r} is missing")
    return value
