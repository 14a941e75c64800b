"""Recognition commands: what was read from a document, corrections by people, and
possible duplicates and their dismissal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import (
    DocumentNotFound,
    DocumentStatus,
    NotSuspectedDuplicate,
)
from lucy_events.application.base import CommandsBase, require_staff


@dataclass(frozen=True)
class ReadValues:
    """What recognition read, as the DocumentRecognised event keeps it (primitives)."""

    method: str
    confidence: float
    document_type: str | None = None
    fields: Mapping[str, str | None] = field(default_factory=dict)
    vat_breakdown: Sequence[Mapping[str, str]] = ()
    reason: str | None = None


@dataclass(frozen=True)
class Suspicion:
    """Another document of the client this one may duplicate, and why."""

    other_document_id: UUID
    ground: str


class RecognitionCommands(CommandsBase):
    def record_recognition(
        self, document_id: UUID, read: ReadValues, by: Actor,
        suspicions: Sequence[Suspicion] = (), *, again: bool = False,
    ) -> bool:
        """Record what was read, and any possible duplicates on both documents, in one
        transaction: auto-send never sees the document recognised but not yet held.
        Unless ``again``, a document read before is left alone (a message delivered
        twice records nothing new). Returns whether anything was recorded."""
        def command() -> bool:
            document = self._load(Document, document_id, DocumentNotFound)
            if document.status is DocumentStatus.DELETED or (
                    document.recognition is not None and not again):
                return False
            document.record_recognition(
                fields=read.fields, document_type=read.document_type, method=read.method,
                confidence=read.confidence, reason=read.reason,
                vat_breakdown=read.vat_breakdown, by=by)
            self.save(document, *self._suspect(document, suspicions, by))
            return True

        return self._run(command)

    def record_duplicates(
        self, document_id: UUID, suspicions: Sequence[Suspicion], by: Actor
    ) -> bool:
        """Flag both documents of each new suspicion; False when none was new."""
        def command() -> bool:
            document = self._load(Document, document_id, DocumentNotFound)
            others = self._suspect(document, suspicions, by)
            if others:
                self.save(document, *others)
            return bool(others)

        return self._run(command)

    def _suspect(
        self, document: Document, suspicions: Sequence[Suspicion], by: Actor
    ) -> list[Document]:
        """Flag ``document`` and the others (returned, to save with it); the newer of
        each pair is the one held. Deleted or already flagged pairs are skipped."""
        others = []
        for suspicion in suspicions:
            other_id = suspicion.other_document_id
            if other_id in document.duplicates or other_id == document.id:
                continue
            try:
                other = self._load(Document, other_id, DocumentNotFound)
            except DocumentNotFound:
                continue
            if other.status is DocumentStatus.DELETED or other.client_id != document.client_id:
                continue
            newer = _order(document) > _order(other)
            document.suspect_duplicate(other.id, suspicion.ground, newer, by)
            other.suspect_duplicate(document.id, suspicion.ground, not newer, by)
            others.append(other)
        return others

    def correct_document_fields(
        self, firm_id: UUID, document_id: UUID, fields: Mapping[str, Any],
        document_type: str | None, by: Actor,
    ) -> None:
        require_staff(by)
        self._change(lambda: self.document(firm_id, document_id, by),
                     lambda d: d.correct_fields(fields, document_type, by))

    def dismiss_duplicates(self, firm_id: UUID, document_id: UUID, by: Actor) -> None:
        """Not a duplicate: clear the document's suspicions, on both sides of each pair,
        so the held one may be sent."""
        require_staff(by)

        def command() -> None:
            document = self.document(firm_id, document_id, by)
            if not document.duplicates:
                raise NotSuspectedDuplicate("the document is not suspected to be a duplicate")
            changed = [document]
            for other_id in list(document.duplicates):
                document.dismiss_duplicate(other_id, by)
                try:
                    other = self._load(Document, other_id, DocumentNotFound)
                except DocumentNotFound:
                    continue
                if document.id in other.duplicates:
                    other.dismiss_duplicate(document.id, by)
                    changed.append(other)
            self.save(*changed)

        self._run(command)


def _order(document: Document) -> tuple[Any, str]:
    return (document.created_on, str(document.id))
