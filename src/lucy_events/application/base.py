"""What every command shares: loading aggregates of the acting firm, retrying conflicts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DocumentNotFound, DocumentStatus
from lucy_events.aggregates.errors import (
    ConcurrencyConflict,
    DomainError,
    NotFound,
    PermissionDenied,
)
from lucy_events.aggregates.firm import Firm
from lucy_events.blobs import BlobStore
from lucy_events.retries import COMMAND_CONFLICTS

A = TypeVar("A")
R = TypeVar("R")


class FirmNotFound(NotFound):
    """Raised when no firm has the id."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class CommandsBase(Application[UUID]):
    """The event-sourced application; commands are mixed in by area."""

    blobs: BlobStore
    clock: Callable[[], datetime]

    def _load(
        self, cls: type[A], aggregate_id: UUID, not_found: type[DomainError]
    ) -> A:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found(f"no {cls.__name__.lower()} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise not_found(f"no {cls.__name__.lower()} {aggregate_id}")
        return aggregate

    def _run(self, command: Callable[[], R]) -> R:
        """Run load-act-save, again from the load when the aggregate changed meanwhile."""
        try:
            return COMMAND_CONFLICTS.copy()(command)
        except IntegrityError:
            raise ConcurrencyConflict(
                "the record kept changing while this command ran; try again"
            ) from None

    def firm(self, firm_id: UUID) -> Firm:
        return self._load(Firm, firm_id, FirmNotFound)

    def actor_for(self, firm_id: UUID, staff_id: UUID) -> Actor:
        """The acting staff member, with the role the firm gives them now."""
        return self.firm(firm_id).member(staff_id).actor

    def client(self, firm_id: UUID, client_id: UUID, by: Actor | None = None) -> Client:
        """A client of the firm; another firm's client, or a hidden one for a
        non-admin, does not exist as far as the caller can tell."""
        client = self._load(Client, client_id, ClientNotFound)
        if client.firm_id != firm_id or _hidden_from(client, by):
            raise ClientNotFound(f"no client {client_id}")
        return client

    def client_for_operator(self, client_id: UUID) -> Client:
        """For operators on the host (CLI), who act across firms."""
        return self._load(Client, client_id, ClientNotFound)

    def latest_version(self, aggregate_id: UUID) -> int | None:
        """The version of the aggregate's newest stored event, or None when there is no
        such aggregate: one indexed look-up, for a reader that keeps a copy of some of its
        state and must know that the copy is current."""
        found = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return found[0].originator_version if found else None

    def document_for_system(self, document_id: UUID) -> Document:
        """For system processes (the router, ops tools) that act across firms."""
        return self._load(Document, document_id, DocumentNotFound)

    def document(self, firm_id: UUID, document_id: UUID, by: Actor | None = None) -> Document:
        document = self._load(Document, document_id, DocumentNotFound)
        if document.firm_id != firm_id or document.status is DocumentStatus.DELETED:
            raise DocumentNotFound(f"no document {document_id}")
        if by is not None and by.is_staff and not by.is_admin:
            try:
                self.client(firm_id, document.client_id, by)
            except ClientNotFound:  # the caller asked for the document: name only that
                raise DocumentNotFound(f"no document {document_id}") from None
        return document

    def _change(self, load: Callable[[], A], act: Callable[[A], Any]) -> A:
        def command() -> A:
            aggregate = load()
            act(aggregate)
            self.save(aggregate)  # type: ignore[arg-type]
            return aggregate

        return self._run(command)


def _hidden_from(client: Client, by: Actor | None) -> bool:
    return client.hidden and by is not None and by.is_staff and not by.is_admin


def require_staff(by: Actor) -> None:
    if by.kind not in ("staff", "system"):
        raise PermissionDenied("only the firm's staff may do this")
