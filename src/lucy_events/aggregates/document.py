"""A purchase or sales document of a client, from its arrival to its accounting package."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import required_text
from lucy_events.aggregates.document_rules import (
    SENDABLE,
    AlreadySent,
    ArchiveOnlyAfterSent,
    DocumentLocked,
    DocumentStatus,
    NoSendInProgress,
    NotSendable,
    SendAlreadyRequested,
    SentDocumentCannotBeDeleted,
    UntypedDocumentCannotBeSent,
    sha256_hex,
    valid_channel,
    valid_document_type,
)
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.event_time import event_time


class Document(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class DocumentReceived(Event, Aggregate.Created):
        """v2 adds the subject and Message-ID of the mail a document came in."""

        class_version = 2
        channel: str
        file_name: str
        media_type: str
        size: int
        sha256: str
        blob_ref: str
        sender: str | None
        document_type: str | None
        subject: str | None
        message_id: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["subject"] = None
            state["message_id"] = None

    class DocumentTypeAssigned(Event):
        document_type: str

        def apply(self, document: Document) -> None:
            document.document_type = self.document_type

    class SendRequested(Event):
        attempt: int

        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.SENDING
            document.attempts = self.attempt

    class DocumentSent(Event):
        package: str
        remote_reference: str

        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.SENT
            document.failure_reason = None
            document.sent_to = self.package
            document.remote_reference = self.remote_reference

    class SendFailed(Event):
        reason: str
        attempt: int
        retryable: bool

        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.FAILED
            document.failure_reason = self.reason
            document.retryable = self.retryable

    class DocumentRejected(Event):
        reason: str

        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.REJECTED
            document.failure_reason = self.reason

    class DocumentArchived(Event):
        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.ARCHIVED

    class DocumentDeleted(Event):
        def apply(self, document: Document) -> None:
            document.status = DocumentStatus.DELETED

    @event(DocumentReceived)
    def __init__(
        self, *, actor: str, firm_id: UUID, client_id: UUID, channel: str, file_name: str,
        media_type: str, size: int, sha256: str, blob_ref: str, sender: str | None,
        document_type: str | None, subject: str | None = None, message_id: str | None = None,
    ) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.channel = channel
        self.file_name = file_name
        self.media_type = media_type
        self.size = size
        self.sha256 = sha256
        self.blob_ref = blob_ref
        self.sender = sender
        self.document_type = document_type
        self.subject = subject
        self.message_id = message_id
        self.status = DocumentStatus.INBOX
        self.attempts = 0
        self.failure_reason: str | None = None
        self.retryable = False
        self.sent_to: str | None = None
        self.remote_reference: str | None = None

    @classmethod
    def receive(
        cls, *, document_id: UUID, firm_id: UUID, client_id: UUID, channel: str,
        file_name: str, media_type: str, size: int, sha256: str, blob_ref: str,
        sender: str | None = None, document_type: str | None = None,
        subject: str | None = None, message_id: str | None = None, by: Actor,
    ) -> Document:
        if size < 0:
            raise InvalidValue("size", "cannot be negative")
        return cls._create(
            cls.DocumentReceived, id=document_id, actor=str(by), firm_id=firm_id,
            client_id=client_id,
            channel=valid_channel(channel), file_name=required_text(file_name, "file_name", 255),
            media_type=required_text(media_type, "media_type", 127), size=int(size),
            sha256=sha256_hex(sha256), blob_ref=blob_ref, sender=sender,
            document_type=valid_document_type(document_type),
            subject=subject[:998] if subject is not None else None,
            message_id=message_id[:998] if message_id is not None else None,
        )

    def _record(self, event_class: type[Document.Event], by: Actor, **fields: Any) -> None:
        self.trigger_event(
            event_class, actor=str(by), firm_id=self.firm_id, client_id=self.client_id, **fields
        )

    @property
    def can_be_sent(self) -> bool:
        return self.status in SENDABLE and self.document_type is not None

    def assign_type(self, new_type: str, by: Actor) -> None:
        valid_document_type(new_type)
        if self.status not in SENDABLE:
            raise DocumentLocked(f"a {self.status.value} document's type cannot change")
        if new_type != self.document_type:
            self._record(self.DocumentTypeAssigned, by, document_type=new_type)

    def request_send(self, by: Actor) -> None:
        if self.status in (DocumentStatus.SENT, DocumentStatus.ARCHIVED):
            raise AlreadySent("the document was already sent and cannot be sent again")
        if self.status is DocumentStatus.SENDING:
            raise SendAlreadyRequested("the document is already being sent")
        if self.status not in SENDABLE:
            raise NotSendable(f"a {self.status.value} document cannot be sent")
        if self.document_type is None:
            raise UntypedDocumentCannotBeSent("give the document a type before sending it")
        self._record(self.SendRequested, by, attempt=self.attempts + 1)

    def _require_sending(self) -> None:
        if self.status is DocumentStatus.SENT:
            raise AlreadySent("the document was already sent")
        if self.status is not DocumentStatus.SENDING:
            raise NoSendInProgress(f"no send in progress ({self.status.value})")

    def record_sent(self, package: str, remote_reference: str, by: Actor) -> None:
        self._require_sending()
        self._record(self.DocumentSent, by, package=package, remote_reference=remote_reference)

    def record_send_failure(self, reason: str, retryable: bool, by: Actor) -> None:
        self._require_sending()
        reason = required_text(reason, "reason", 2000)
        self._record(
            self.SendFailed, by, reason=reason, attempt=self.attempts, retryable=bool(retryable)
        )

    def record_rejection(self, reason: str, by: Actor) -> None:
        self._require_sending()
        self._record(self.DocumentRejected, by, reason=required_text(reason, "reason", 2000))

    def archive(self, by: Actor) -> None:
        if self.status is not DocumentStatus.SENT:
            raise ArchiveOnlyAfterSent(
                f"only a Sent document can be archived ({self.status.value})"
            )
        self._record(self.DocumentArchived, by)

    def delete(self, by: Actor) -> None:
        if self.status in (DocumentStatus.SENT, DocumentStatus.ARCHIVED):
            raise SentDocumentCannotBeDeleted("a sent document is part of the books")
        if self.status in (DocumentStatus.SENDING, DocumentStatus.DELETED):
            raise DocumentLocked(f"a {self.status.value} document cannot be deleted")
        self._record(self.DocumentDeleted, by)

