"""Document commands: intake, typing, sending and its outcomes, archive, delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import ContentDisposed, DocumentNotFound
from lucy_events.aggregates.errors import DomainError
from lucy_events.application.base import CommandsBase

_CLIENT_FIRM_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class IncomingDocument:
    """One document as it arrives, before it is stored."""

    firm_id: UUID
    client_id: UUID
    content: bytes
    file_name: str
    media_type: str
    channel: str
    sender: str | None = None
    document_type: str | None = None
    subject: str | None = None
    message_id: str | None = None


class DocumentCommands(CommandsBase):
    # A client never changes firm, so which firm it belongs to can be cached for good.
    _client_firms: dict[UUID, UUID]

    def _require_client_of(self, firm_id: UUID, client_id: UUID) -> None:
        cache = self._client_firms
        owner = cache.get(client_id)
        if owner is None:
            owner = self._load(Client, client_id, ClientNotFound).firm_id
            if len(cache) >= _CLIENT_FIRM_CACHE_LIMIT:
                cache.clear()
            cache[client_id] = owner
        if owner != firm_id:
            raise ClientNotFound(f"no client {client_id}")

    def _new_document(self, incoming: IncomingDocument, by: Actor) -> Document:
        self._require_client_of(incoming.firm_id, incoming.client_id)
        if by.is_staff and not by.is_admin:  # a client hidden from them does not exist
            self.client(incoming.firm_id, incoming.client_id, by)
        blob = self.blobs.put(incoming.content)
        return Document.receive(
            document_id=uuid4(), firm_id=incoming.firm_id, client_id=incoming.client_id,
            channel=incoming.channel, file_name=incoming.file_name,
            media_type=incoming.media_type, size=blob.size, sha256=blob.sha256,
            blob_ref=blob.ref, sender=incoming.sender,
            document_type=incoming.document_type, subject=incoming.subject,
            message_id=incoming.message_id, by=by,
        )

    def receive_document(self, incoming: IncomingDocument, by: Actor) -> UUID:
        """Store the content, then record DocumentReceived: the event never points at
        content that is not there."""
        document = self._new_document(incoming, by)
        self.save(document)
        return document.id

    def receive_documents(self, batch: Sequence[IncomingDocument], by: Actor) -> list[UUID]:
        """Intake of many documents in one transaction (all or none are recorded)."""
        documents = [self._new_document(incoming, by) for incoming in batch]
        self.save(*documents)
        return [d.id for d in documents]

    def document_content(self, firm_id: UUID, document_id: UUID, by: Actor) -> bytes:
        document = self.document(firm_id, document_id, by)
        if document.content_disposed:
            raise ContentDisposed("the document's contents were removed when its "
                                  "retention period ended; its history stays")
        return self.blobs.get(document.blob_ref)

    def assign_document_type(
        self, firm_id: UUID, document_id: UUID, document_type: str, by: Actor
    ) -> None:
        self._change(
            lambda: self.document(firm_id, document_id, by),
            lambda d: d.assign_type(document_type, by),
        )

    def request_send(self, firm_id: UUID, document_id: UUID, by: Actor) -> None:
        self._change(lambda: self.document(firm_id, document_id, by), lambda d: d.request_send(by))

    def request_bulk_send(
        self, firm_id: UUID, document_ids: Sequence[UUID], by: Actor
    ) -> dict[UUID, DomainError | None]:
        """Ask to send many documents; each one that may be sent is, the others say why
        not. The requests are recorded together in one transaction."""
        def command() -> dict[UUID, DomainError | None]:
            outcome: dict[UUID, DomainError | None] = {}
            ready = []
            for document_id in dict.fromkeys(document_ids):
                try:
                    document = self.document(firm_id, document_id, by)
                    document.request_send(by)
                except DomainError as error:
                    outcome[document_id] = error
                else:
                    outcome[document_id] = None
                    ready.append(document)
            self.save(*ready)
            return outcome

        return self._run(command)

    def _outcome(self, document_id: UUID) -> Document:
        return self._load(Document, document_id, DocumentNotFound)

    def record_sent(
        self, document_id: UUID, package: str, remote_reference: str, by: Actor
    ) -> None:
        self._change(
            lambda: self._outcome(document_id),
            lambda d: d.record_sent(package, remote_reference, by),
        )

    def record_sent_together(
        self, sent: Sequence[tuple[Document, str, str]], by: Actor
    ) -> list[DomainError | None]:
        """DocumentSent for several documents, each ``(document as loaded, package,
        remote reference)``, in one transaction: one table lock and one commit instead
        of one each (the router's workers finish deliveries at once). A document whose
        rule refuses gets its error and the others are recorded; if any document changed
        since it was loaded (the save conflicts), each is recorded alone, from a fresh
        load, as ``record_sent`` does. The outcome of each, in order: None or the error."""
        outcomes: list[DomainError | None] = []
        ready = []
        for document, package, reference in sent:
            try:
                document.record_sent(package, reference, by)
            except DomainError as error:
                outcomes.append(error)
            else:
                outcomes.append(None)
                ready.append(document)
        try:
            self.save(*ready)
        except IntegrityError:
            for n, (document, package, reference) in enumerate(sent):
                if outcomes[n] is None:
                    try:
                        self.record_sent(document.id, package, reference, by)
                    except DomainError as error:
                        outcomes[n] = error
        return outcomes

    def record_send_failure(
        self, document_id: UUID, reason: str, retryable: bool, by: Actor
    ) -> None:
        self._change(
            lambda: self._outcome(document_id),
            lambda d: d.record_send_failure(reason, retryable, by),
        )

    def resend_stuck(self, document_id: UUID, requested_before: datetime, by: Actor) -> None:
        """Ops: send again a document stuck in Sending since before ``requested_before``."""
        self._change(lambda: self._outcome(document_id),
                     lambda d: d.resend_stuck(requested_before, by))

    def record_rejection(self, document_id: UUID, reason: str, by: Actor) -> None:
        self._change(
            lambda: self._outcome(document_id), lambda d: d.record_rejection(reason, by)
        )

    def archive_document(self, firm_id: UUID, document_id: UUID, by: Actor) -> None:
        self._change(lambda: self.document(firm_id, document_id, by), lambda d: d.archive(by))

    def delete_document(self, firm_id: UUID, document_id: UUID, by: Actor) -> None:
        self._change(lambda: self.document(firm_id, document_id, by), lambda d: d.delete(by))
