"""Peppol documents for a receiver the firm does not know (yet): parked, never dropped.

The content is in the blob store; a row says whose access point received it, when, and
why it could not be placed. Ops list them (CLI, API for admins) and replay them once
the client exists: a replayed document is received as if it had just arrived, and its
row remembers the document it became. This is not the bus's dead-letter table: that
one holds messages a consumer failed on, keyed by their position in a topic, while
these never became events at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from lucy_events.sqldb import Database, ensure_schema

SCHEMA = """CREATE TABLE IF NOT EXISTS peppol_parked (
    parked_id TEXT PRIMARY KEY, firm_id TEXT NOT NULL, file_name TEXT NOT NULL,
    blob_ref TEXT NOT NULL, size BIGINT NOT NULL, reason TEXT NOT NULL,
    parked_at TEXT NOT NULL, released_at TEXT, document_id TEXT)"""
_COLUMNS = "parked_id, firm_id, file_name, blob_ref, size, reason, parked_at, released_at, " \
           "document_id"


@dataclass(frozen=True)
class ParkedDocument:
    parked_id: UUID
    firm_id: UUID
    file_name: str
    blob_ref: str
    size: int
    reason: str
    parked_at: str
    released_at: str | None
    document_id: str | None

    def as_dict(self) -> dict[str, object]:
        return {"id": str(self.parked_id), "file_name": self.file_name, "size": self.size,
                "reason": self.reason, "parked_at": self.parked_at,
                "released_at": self.released_at, "document_id": self.document_id}


class ParkedDocuments:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_schema(db, "peppol_parked", [SCHEMA])

    def park(self, firm_id: UUID, file_name: str, blob_ref: str, size: int,
             reason: str) -> UUID:
        parked_id = uuid4()
        with self.db.transaction() as tx:
            tx.execute(
                f"INSERT INTO peppol_parked ({_COLUMNS}) VALUES (:id, :firm, :name, :ref, "
                ":size, :reason, :now, NULL, NULL)",
                {"id": str(parked_id), "firm": str(firm_id), "name": file_name[:255],
                 "ref": blob_ref, "size": size, "reason": reason,
                 "now": datetime.now(UTC).isoformat()})
        return parked_id

    def waiting(self, firm_id: UUID | None = None) -> list[ParkedDocument]:
        """Parked documents not yet released, oldest first (every firm's when None)."""
        where = "released_at IS NULL" + ("" if firm_id is None else " AND firm_id = :firm")
        return self._select(where, {} if firm_id is None else {"firm": str(firm_id)})

    def get(self, parked_id: UUID) -> ParkedDocument | None:
        found = self._select("parked_id = :id", {"id": str(parked_id)})
        return found[0] if found else None

    def released(self, parked_id: UUID, document_id: UUID) -> None:
        self._update(parked_id, "released_at = :now, document_id = :doc",
                     {"now": datetime.now(UTC).isoformat(), "doc": str(document_id)})

    def still_parked(self, parked_id: UUID, reason: str) -> None:
        self._update(parked_id, "reason = :reason", {"reason": reason})

    def _update(self, parked_id: UUID, assignments: str, params: dict[str, str]) -> None:
        with self.db.transaction() as tx:
            tx.execute(f"UPDATE peppol_parked SET {assignments} WHERE parked_id = :id",
                       {"id": str(parked_id), **params})

    def _select(self, where: str, params: dict[str, str]) -> list[ParkedDocument]:
        with self.db.transaction() as tx:
            rows = tx.execute(
                f"SELECT {_COLUMNS} FROM peppol_parked WHERE {where} ORDER BY parked_at",
                params)
        return [ParkedDocument(UUID(r[0]), UUID(r[1]), r[2], r[3], int(r[4]), r[5], r[6],
                               r[7], r[8]) for r in rows]
