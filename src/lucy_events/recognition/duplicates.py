"""Where the recognition worker finds a new document's possible duplicates: a small read
model of its own (one row per document: content hash, supplier, invoice number), kept
by the worker as it reads each document, so a match is one indexed query, never a scan
of the event store.

The worker handles one client's documents one after another, in the order they
arrived, so every earlier document of the client is in the index when a later one is
checked (the documents read model, fed by another consumer, may lag behind).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from lucy_events.aggregates.document import Document
from lucy_events.application import Suspicion
from lucy_events.projections.ddl import create_table
from lucy_events.projections.tables import Index, Table, upsert_rows
from lucy_events.projections.values import moment
from lucy_events.sqldb import Database

INDEX = Table(
    "recognition_index",
    (("document_id", "text"), ("client_id", "text"), ("firm_id", "text"),
     ("sha256", "text"), ("supplier_key", "text"), ("invoice_number", "text"),
     ("received_at", "text"), ("deleted", "bool")),
    key=("document_id",),
    indexes=(Index("content", "client_id, sha256"),
             Index("invoice", "client_id, supplier_key, invoice_number")),
)
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def supplier_key(vat: str | None, name: str | None) -> str | None:
    """The supplier as duplicates compare it: the VAT number without punctuation, else
    the name without case or extra spaces."""
    if vat and (compact := _NOT_ALNUM.sub("", vat).upper()):
        return f"vat:{compact}"
    if name and (words := " ".join(name.casefold().split())):
        return f"name:{words}"
    return None


def number_key(number: str | None) -> str | None:
    compact = _NOT_ALNUM.sub("", number or "").upper()
    return compact or None


@dataclass(frozen=True)
class Entry:
    document_id: UUID
    client_id: UUID
    firm_id: UUID
    sha256: str
    supplier_key: str | None
    invoice_number: str | None
    received_at: str
    deleted: bool = False

    @classmethod
    def of(cls, document: Document, fields: Mapping[str, str | None] | None = None) -> Entry:
        """The document's entry, by its fields (or ``fields``: what was just read)."""
        fields = document.fields if fields is None else fields
        return cls(document.id, document.client_id, document.firm_id, document.sha256,
                   supplier_key(fields.get("supplier_vat"), fields.get("supplier_name")),
                   number_key(fields.get("invoice_number")), str(moment(document.created_on)),
                   deleted=document.status.value == "Deleted")


class DuplicateIndex:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._ready = False
        self._creating = threading.Lock()  # the worker reads clients in parallel

    def _ensure(self) -> None:
        with self._creating:  # PostgreSQL's CREATE TABLE IF NOT EXISTS races with itself
            if not self._ready:
                with self.db.transaction() as tx:
                    create_table(tx, self.db.dialect, INDEX, INDEX.name)
                self._ready = True

    def put(self, entry: Entry) -> None:
        self._ensure()
        row = {"document_id": str(entry.document_id), "client_id": str(entry.client_id),
               "firm_id": str(entry.firm_id), "sha256": entry.sha256,
               "supplier_key": entry.supplier_key, "invoice_number": entry.invoice_number,
               "received_at": entry.received_at, "deleted": entry.deleted}
        with self.db.transaction() as tx:
            upsert_rows(tx, self.db.dialect, INDEX, INDEX.name, [row])

    def suspicions(self, entry: Entry) -> list[Suspicion]:
        """The client's other, not deleted documents with the same content, or the same
        supplier and invoice number; oldest first, each document once."""
        self._ensure()
        params = {"client_id": str(entry.client_id), "document_id": str(entry.document_id),
                  "sha256": entry.sha256, "supplier": entry.supplier_key,
                  "number": entry.invoice_number}
        found: dict[str, str] = {}
        queries = [("same-content", "sha256 = :sha256")]
        if entry.supplier_key and entry.invoice_number:
            queries.append(("same-supplier-and-number",
                            "supplier_key = :supplier AND invoice_number = :number"))
        with self.db.transaction() as tx:
            for ground, where in queries:
                rows = tx.execute(
                    f"SELECT document_id FROM {INDEX.name} WHERE client_id = :client_id "
                    f"AND document_id <> :document_id AND deleted = FALSE AND {where} "
                    "ORDER BY received_at, document_id", params)
                for (document_id,) in rows:
                    found.setdefault(document_id, ground)
        return [Suspicion(UUID(d), ground) for d, ground in found.items()]
