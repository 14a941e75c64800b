"""The end of a document's retention period, on the write side."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.application.base import CommandsBase


class RetentionCommands(CommandsBase):
    def dispose_document_content(self, document_id: UUID, now: datetime, by: Actor
                                 ) -> list[str]:
        """Record that the document's files go (``RetentionNotOver`` before its time)
        and return the blob refs it held. Nothing is recorded twice."""
        refs: list[str] = []

        def act(document: Document) -> None:
            if not document.content_disposed:
                document.dispose_content(now, by)
            refs[:] = [document.blob_ref] + (
                [document.rendition_ref] if document.rendition_ref else [])

        self._change(lambda: self.document_for_system(document_id), act)
        return refs
