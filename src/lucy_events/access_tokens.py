"""Personal access tokens of staff members, stored only as their sha256.

A token is a credential, not a business fact: it lives in the read-side database, not in
the event store (issuing or revoking one is not part of any firm's history). A removed
staff member's tokens stop working because the firm no longer knows them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from lucy_events.sqldb import Database

PREFIX = "lucy_"
SCHEMA = """CREATE TABLE IF NOT EXISTS staff_tokens (
    token_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenOwner:
    firm_id: UUID
    staff_id: UUID


class AccessTokens:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._ready = False

    def _tables(self) -> None:
        if not self._ready:
            with self.db.transaction() as tx:
                tx.execute(SCHEMA)
            self._ready = True

    def issue(self, firm_id: UUID, staff_id: UUID, label: str = "api") -> str:
        """A new token; shown once, only its hash is kept."""
        self._tables()
        token = PREFIX + secrets.token_urlsafe(32)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO staff_tokens (token_hash, firm_id, staff_id, label, created_at) "
                "VALUES (:hash, :firm, :staff, :label, :now)",
                {"hash": token_hash(token), "firm": str(firm_id), "staff": str(staff_id),
                 "label": label, "now": datetime.now(UTC).isoformat()},
            )
        return token

    def owner(self, token: str) -> TokenOwner | None:
        if not token.startswith(PREFIX):
            return None
        self._tables()
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT firm_id, staff_id FROM staff_tokens "
                "WHERE token_hash = :hash AND revoked_at IS NULL",
                {"hash": token_hash(token)},
            )
        return TokenOwner(UUID(rows[0][0]), UUID(rows[0][1])) if rows else None

    def revoke_all(self, staff_id: UUID) -> int:
        self._tables()
        with self.db.transaction() as tx:
            before = tx.execute(
                "SELECT COUNT(*) FROM staff_tokens WHERE staff_id = :staff AND revoked_at IS NULL",
                {"staff": str(staff_id)})[0][0]
            tx.execute(
                "UPDATE staff_tokens SET revoked_at = :now "
                "WHERE staff_id = :staff AND revoked_at IS NULL",
                {"staff": str(staff_id), "now": datetime.now(UTC).isoformat()})
        return int(before)
