"""A purchase or sales document of a client, from its arrival to its accounting package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import required_text
from lucy_events.aggregates.document_rules import (
    CONFIDENT,
    FIELD_NAMES,
    SENDABLE,
    STUCK_REASON,
    AlreadySent,
    ArchiveOnlyAfterSent,
    DocumentLocked,
    DocumentStatus,
    NoSendInProgress,
    NotSendable,
    NotSuspectedDuplicate,
    SendAlreadyRequested,
    SentDocumentCannotBeDeleted,
    SuspectedDuplicate,
    UntypedDocumentCannotBeSent,
    check_stuck,
    confidence_value,
    duplicate_ground,
    field_value,
    recognition_types_it,
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
            document.type_source = "hand"

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

    class PeppolDocumentValidated(Event):
        """The document was checked with the official Peppol BIS 3 rules (``rules``
        names their versions); each finding has rule, flag, location and message."""

        valid: bool
        rules: str
        errors: list[dict[str, str]]
        warnings: list[dict[str, str]]

        def apply(self, document: Document) -> None:
            document.peppol_valid = self.valid

    class RenditionAttached(Event):
        """A human-readable rendition of the document (the PDF inside a UBL invoice)."""

        file_name: str
        media_type: str
        size: int
        sha256: str
        blob_ref: str

        def apply(self, document: Document) -> None:
            document.rendition_ref = self.blob_ref

    #: None until validated: only Peppol documents are.
    peppol_valid: bool | None = None
    rendition_ref: str | None = None
    class DocumentRecognised(Event):
        """What recognition read from the document: fields as primitive values (dates
        YYYY-MM-DD, amounts decimal strings), how (method) and how sure (confidence)."""

        document_type: str | None
        supplier_name: str | None
        supplier_vat: str | None
        supplier_enterprise_number: str | None
        customer_name: str | None
        customer_vat: str | None
        invoice_number: str | None
        issue_date: str | None
        due_date: str | None
        currency: str | None
        total_excl_vat: str | None
        total_vat: str | None
        total_incl_vat: str | None
        iban: str | None
        structured_communication: str | None
        vat_breakdown: list[dict[str, str]]
        method: str
        confidence: float
        reason: str | None

        def apply(self, document: Document) -> None:
            document.read_fields = {name: getattr(self, name) for name in FIELD_NAMES}
            document.vat_breakdown = [dict(line) for line in self.vat_breakdown]
            document.recognition = {"method": self.method, "confidence": self.confidence,
                                    "reason": self.reason, "document_type": self.document_type}
            document.recognised = (self.document_type is not None
                                   and self.confidence >= CONFIDENT)
            if recognition_types_it(self.document_type, self.confidence,
                                    document.type_source, document.status.value):
                document.document_type = self.document_type
                document.type_source = "recognition"

    class DocumentFieldsCorrected(Event):
        """A person corrected fields (name -> value, None clears) and/or the type; a
        correction wins over what recognition read, now and later."""

        fields: dict[str, str | None]
        document_type: str | None

        def apply(self, document: Document) -> None:
            for name, value in self.fields.items():
                document.corrections[name] = value
                document.corrected_by[name] = self.actor
            if self.document_type is not None:
                document.document_type = self.document_type
                document.type_source = "hand"
                document.corrected_by["document_type"] = self.actor

    class DuplicateSuspected(Event):
        """The document may be a duplicate of another of the client's documents; the
        newer of the two is held from sending until someone decides."""

        other_document_id: UUID
        ground: str
        newer: bool

        def apply(self, document: Document) -> None:
            document.duplicates[self.other_document_id] = {
                "ground": self.ground, "newer": self.newer}

    class DuplicateDismissed(Event):
        """Someone decided the document is not a duplicate of the other one."""

        other_document_id: UUID

        def apply(self, document: Document) -> None:
            document.duplicates.pop(self.other_document_id, None)

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
        # Recognition: what was read, what people corrected, possible duplicates.
        self.type_source: str | None = "given" if document_type else None
        self.read_fields: dict[str, str | None] = {}
        self.vat_breakdown: list[dict[str, str]] = []
        self.recognition: dict[str, Any] | None = None
        self.recognised = False
        self.corrections: dict[str, str | None] = {}
        self.corrected_by: dict[str, str] = {}
        self.duplicates: dict[UUID, dict[str, Any]] = {}

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
        return (self.status in SENDABLE and self.document_type is not None
                and not self.held_as_duplicate)

    @property
    def held_as_duplicate(self) -> bool:
        """The newer of a suspected pair waits for someone to decide."""
        return any(s["newer"] for s in self.duplicates.values())

    @property
    def fields(self) -> dict[str, str | None]:
        """The document's fields: what was read, overruled by what people corrected."""
        return {name: self.corrections[name] if name in self.corrections
                else self.read_fields.get(name) for name in FIELD_NAMES}

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
        if self.held_as_duplicate:
            raise SuspectedDuplicate(
                "the document may be a duplicate: mark it as not a duplicate, or delete it")
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

    def resend_stuck(self, requested_before: datetime, by: Actor) -> None:
        """Close a send whose request was lost (a failure, retryable) and ask again: the
        router delivers the new attempt, and its delivery key keeps the package from a
        second copy if the first attempt did arrive."""
        check_stuck(self.status, self.modified_on, requested_before)
        self._record(self.SendFailed, by, reason=STUCK_REASON, attempt=self.attempts,
                     retryable=True)
        self._record(self.SendRequested, by, attempt=self.attempts + 1)

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

    def record_peppol_validation(
        self, rules: str, errors: list[dict[str, str]], warnings: list[dict[str, str]],
        by: Actor,
    ) -> None:
        """Keep the validation result; the document is valid when no rule was fatal."""
        self._record(self.PeppolDocumentValidated, by, valid=not errors,
                     rules=required_text(rules, "rules", 500), errors=list(errors),
                     warnings=list(warnings))

    def attach_rendition(
        self, file_name: str, media_type: str, size: int, sha256: str, blob_ref: str,
        by: Actor,
    ) -> None:
        self._record(self.RenditionAttached, by,
                     file_name=required_text(file_name, "file_name", 255),
                     media_type=required_text(media_type, "media_type", 127), size=int(size),
                     sha256=sha256_hex(sha256), blob_ref=blob_ref)

    def record_recognition(
        self, *, fields: Mapping[str, object], document_type: str | None, method: str,
        confidence: float, reason: str | None = None,
        vat_breakdown: Sequence[Mapping[str, str]] = (), by: Actor,
    ) -> None:
        """Keep what recognition read; a confident type types the document unless a
        person did. Corrections keep winning over these values."""
        if self.status is DocumentStatus.DELETED:
            raise DocumentLocked("a deleted document is not read again")
        values = {name: field_value(name, fields.get(name)) for name in FIELD_NAMES}
        self._record(
            self.DocumentRecognised, by, document_type=valid_document_type(document_type),
            **values, vat_breakdown=[{k: str(v) for k, v in line.items() if v is not None}
                                     for line in vat_breakdown],
            method=required_text(method, "method", 32), confidence=confidence_value(confidence),
            reason=reason[:2000] if reason else None,
        )

    def correct_fields(
        self, fields: Mapping[str, object], document_type: str | None, by: Actor
    ) -> None:
        """Correct fields (a value, or empty to clear) and/or the type; nothing is
        recorded when nothing changes."""
        if self.status is DocumentStatus.DELETED:
            raise DocumentLocked("a deleted document cannot be corrected")
        current = self.fields
        changed = {name: cleaned for name, value in fields.items()
                   if (cleaned := field_value(name, value)) != current[name]}
        new_type = valid_document_type(document_type or None)
        if new_type == self.document_type:
            new_type = None  # already so
        if new_type is not None and self.status not in SENDABLE:
            raise DocumentLocked(f"a {self.status.value} document's type cannot change")
        if changed or new_type is not None:
            self._record(self.DocumentFieldsCorrected, by, fields=changed,
                         document_type=new_type)

    def suspect_duplicate(
        self, other_document_id: UUID, ground: str, newer: bool, by: Actor
    ) -> None:
        if other_document_id == self.id:
            raise InvalidValue("other_document_id", "a document is not its own duplicate")
        if other_document_id not in self.duplicates:
            self._record(self.DuplicateSuspected, by, other_document_id=other_document_id,
                         ground=duplicate_ground(ground), newer=bool(newer))

    def dismiss_duplicate(self, other_document_id: UUID, by: Actor) -> None:
        if other_document_id not in self.duplicates:
            raise NotSuspectedDuplicate(
                f"the document is not suspected to be a duplicate of {other_document_id}")
        self._record(self.DuplicateDismissed, by, other_document_id=other_document_id)
