"""Queries on the vault read model: a client's shared files, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from lucy_events.projections.ddl import table_exists
from lucy_events.projections.values import parse_moment
from lucy_events.projections.vault import VAULT_FILES
from lucy_events.sqldb import Database


@dataclass(frozen=True)
class VaultFileRow:
    file_id: UUID
    client_id: UUID
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


def list_vault_files(db: Database, *, firm_id: UUID, client_id: UUID) -> list[VaultFileRow]:
    """The files in the client's vault now (deleted ones are not listed), newest first.
    The caller checks that the viewer may see the client."""
    with db.transaction() as tx:
        if not table_exists(tx, db.dialect, VAULT_FILES.name):
            return []  # no vault file was ever added
        rows = tx.execute(
            "SELECT file_id, client_id, file_name, media_type, size, sha256, added_at, "
            f"added_by FROM {VAULT_FILES.name} WHERE firm_id = :firm AND client_id = :client "
            "AND deleted_at IS NULL ORDER BY added_at DESC, file_id",
            {"firm": str(firm_id), "client": str(client_id)})
    return [VaultFileRow(UUID(r[0]), UUID(r[1]), r[2], r[3], int(r[4]), r[5],
                         parse_moment(r[6]) or datetime.min, r[7]) for r in rows]
