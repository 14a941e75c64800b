"""Receiving a Peppol document: stored with its validation result and its rendition,
all in one save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application.base import CommandsBase
from lucy_events.application.documents import IncomingDocument

if TYPE_CHECKING:
    from lucy_events.aggregates.document import Document


@dataclass(frozen=True)
class PeppolReceipt:
    """A validated Peppol document for a known client, ready to be recorded."""

    incoming: IncomingDocument
    rules: str
    errors: list[dict[str, str]]
    warnings: list[dict[str, str]]
    rendition_name: str | None = None
    rendition_media_type: str | None = None
    rendition: bytes | None = None


class PeppolCommands(CommandsBase):
    if TYPE_CHECKING:  # provided by DocumentCommands in LucyApplication
        def _new_document(self, incoming: IncomingDocument, by: Actor) -> Document: ...

    def receive_peppol_document(self, receipt: PeppolReceipt, by: Actor) -> UUID:
        """DocumentReceived, PeppolDocumentValidated and, when the invoice embeds a PDF,
        RenditionAttached, saved together: the document is never seen without its
        validation result. Both blobs are stored first."""
        document = self._new_document(receipt.incoming, by)
        document.record_peppol_validation(receipt.rules, receipt.errors, receipt.warnings, by)
        if receipt.rendition is not None:
            blob = self.blobs.put(receipt.rendition)
            document.attach_rendition(
                receipt.rendition_name or "rendition.pdf",
                receipt.rendition_media_type or "application/pdf", blob.size, blob.sha256,
                blob.ref, by)
        self.save(document)
        return document.id
