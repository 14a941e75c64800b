"""Peppol receive: a document from the firm's access point becomes a document of the
client it is for, validated with the official rules; one for nobody is parked.

The content is parsed once, safely (``peppol.xml``), validated (``peppol.validation``),
and its parties matched against the firm's clients (``peppol.parties``). A document
with fatal errors is kept all the same, marked invalid (auto-send leaves it alone). The
key fields (supplier, number, dates, totals) are read later by recognition's UBL
method, like any UBL document's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import NotFound
from lucy_events.application import IncomingDocument, LucyApplication, PeppolReceipt
from lucy_events.intake.media_types import UBL_XML
from lucy_events.intake.peppol_parking import ParkedDocuments
from lucy_events.peppol.parties import ClientKeys, Parties, document_type, match_client, parties
from lucy_events.peppol.rendition import embedded_pdf
from lucy_events.peppol.validation import ValidationResult, validate_element
from lucy_events.peppol.xml import parse_untrusted, ubl_document
from lucy_events.projections.dashboard_tables import CLIENTS
from lucy_events.sqldb import Database

log = structlog.get_logger()
PEPPOL = Actor.system("peppol")
#: The firm's clients stored under any of the keys (enterprise or VAT numbers).
ClientLookup = Callable[[UUID, frozenset[str]], list[ClientKeys]]


class ParkedDocumentNotFound(NotFound):
    """Raised when replaying a parked document the firm does not have (or released)."""


@dataclass(frozen=True)
class Inbound:
    """What became of one received document: a document of a client, or parked."""

    validation: ValidationResult
    document_id: UUID | None = None
    client_id: UUID | None = None
    document_type: str | None = None
    parked_id: UUID | None = None
    reason: str | None = None

    @property
    def status(self) -> str:
        return "received" if self.document_id else "parked"

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status,
                "document_id": str(self.document_id) if self.document_id else None,
                "client_id": str(self.client_id) if self.client_id else None,
                "document_type": self.document_type,
                "parked_id": str(self.parked_id) if self.parked_id else None,
                "reason": self.reason, "peppol_validation": self.validation.as_dict()}


def clients_with_keys(db: Database, firm_id: UUID, keys: frozenset[str]) -> list[ClientKeys]:
    """The firm's clients stored under any of ``keys`` (enterprise or VAT number)."""
    if not keys:
        return []
    names = {f"k{i}": key for i, key in enumerate(sorted(keys))}
    listed = ", ".join(f":{name}" for name in names)
    with db.transaction() as tx:
        rows = tx.execute(
            f"SELECT client_id, enterprise_number, vat_number FROM {CLIENTS.name} "
            f"WHERE firm_id = :firm AND version > 0 AND (enterprise_number IN ({listed}) "
            f"OR UPPER(vat_number) IN ({listed}))", {"firm": str(firm_id), **names})
    return [ClientKeys(r[0], r[1], r[2]) for r in rows]


def clients_in_store(app: LucyApplication) -> ClientLookup:
    """The lookup from the event store itself, for the command line: it does not wait
    for the read models (which in the embedded default move only while serving)."""
    def lookup(firm_id: UUID, keys: frozenset[str]) -> list[ClientKeys]:
        found = [ClientKeys(str(c.client_id), c.enterprise_number, c.vat_number)
                 for c in app.find_clients() if c.firm_id == firm_id]
        return [c for c in found if c.keys & keys]

    return lookup


class PeppolInbound:
    def __init__(self, app: LucyApplication, read_db: Database,
                 clients: ClientLookup | None = None) -> None:
        self.app = app
        self.read_db = read_db
        self.parked = ParkedDocuments(read_db)
        self.clients = clients or (lambda firm, keys: clients_with_keys(read_db, firm, keys))

    def receive(self, firm_id: UUID, content: bytes, file_name: str = "peppol.xml") -> Inbound:
        """Validate, match and record ``content``; raises ``UnsafeOrMalformedXml`` (and
        keeps nothing) when it is not safe, well-formed UBL."""
        outcome = self._place(firm_id, content, file_name)
        if outcome.document_id is None:
            blob = self.app.blobs.put(content)
            parked_id = self.parked.park(firm_id, file_name, blob.ref, blob.size,
                                         outcome.reason or "no client")
            log.warning("peppol document parked", parked_id=str(parked_id),
                        reason=outcome.reason)
            outcome = Inbound(outcome.validation, parked_id=parked_id, reason=outcome.reason)
        return outcome

    def replay(self, firm_id: UUID, parked_id: UUID) -> Inbound:
        """Try a parked document again (once its client exists)."""
        parked = self.parked.get(parked_id)
        if parked is None or parked.firm_id != firm_id or parked.released_at:
            raise ParkedDocumentNotFound(f"no parked Peppol document {parked_id}")
        outcome = self._place(firm_id, self.app.blobs.get(parked.blob_ref), parked.file_name)
        if outcome.document_id is not None:
            self.parked.released(parked_id, outcome.document_id)
            return outcome
        self.parked.still_parked(parked_id, outcome.reason or "no client")
        return Inbound(outcome.validation, parked_id=parked_id, reason=outcome.reason)

    def _place(self, firm_id: UUID, content: bytes, file_name: str) -> Inbound:
        root = parse_untrusted(content)
        ubl = ubl_document(root)
        validation = validate_element(ubl)
        found = parties(root, ubl)
        match = match_client(found, self.clients(firm_id, found.customer | found.supplier))
        if match.client_id is None:
            return Inbound(validation, reason=match.reason)
        client_id = UUID(match.client_id)
        typed = document_type(found, match)
        rendition = embedded_pdf(ubl)
        receipt = PeppolReceipt(
            IncomingDocument(firm_id, client_id, content, file_name, UBL_XML, "peppol",
                             sender=_sender(found), document_type=typed),
            validation.rules, [f.as_dict() for f in validation.errors],
            [f.as_dict() for f in validation.warnings],
            rendition.file_name if rendition else None,
            rendition.media_type if rendition else None,
            rendition.content if rendition else None)
        document_id = self.app.receive_peppol_document(receipt, PEPPOL)
        log.info("peppol document received", document_id=str(document_id),
                 client_id=str(client_id), document_type=typed, valid=validation.valid,
                 rules_broken=validation.rule_ids)
        return Inbound(validation, document_id, client_id, typed)


def _sender(found: Parties) -> str | None:
    """The supplier's first identifier: who issued the document."""
    return found.supplier_ids[0][:200] if found.supplier_ids else None
