"""Personal access tokens of staff members, stored only as their sha256.

A token is a credential, not a business fact: it lives in the read-side database, not in
the event store (issuing or revoking one is not part of any firm's history). A removed
staff member's tokens stop working because the firm no longer knows them. A token may
carry an expiry; after it, it is as unknown as a revoked one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from lucy_events.credential_tables import ensure_tables
from lucy_events.sqldb import Database

PREFIX = "lucy_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenOwner:
    firm_id: UUID
    staff_id: UUID


class AccessTokens:
    def __init__(self, db: Database) -> None:
        self.db = db

    def issue(self, firm_id: UUID, staff_id: UUID, label: str = "api",
              expires_in: timedelta | None = None) -> str:
        """A new token; shown once, only its hash is kept. ``expires_in``: how long it
        works (None: until revoked)."""
        ensure_tables(self.db)
        token = PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO staff_tokens (token_hash, firm_id, staff_id, label, created_at, "
                "expires_at) VALUES (:hash, :firm, :staff, :label, :now, :expires)",
                {"hash": token_hash(token), "firm": str(firm_id), "staff": str(staff_id),
                 "label": label, "now": now.isoformat(),
                 "expires": (now + expires_in).isoformat() if expires_in else None},
            )
        return token

    def owner(self, token: str) -> TokenOwner | None:
        """Whose token this is, while it is neither revoked nor expired."""
        if not token.startswith(PREFIX):
            return None
        ensure_tables(self.db)
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT firm_id, staff_id FROM staff_tokens WHERE token_hash = :hash "
                "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)",
                {"hash": token_hash(token), "now": datetime.now(UTC).isoformat()},
            )
        return TokenOwner(UUID(rows[0][0]), UUID(rows[0][1])) if rows else None

    def revoke_all(self, staff_id: UUID, label: str | None = None) -> int:
        """Revoke the staff member's tokens (only those of ``label`` when given); how
        many were still working."""
        ensure_tables(self.db)
        chosen = "" if label is None else " AND label = :label"
        params = {"staff": str(staff_id), "label": label, "now": datetime.now(UTC).isoformat()}
        with self.db.transaction() as tx:
            before = tx.execute(
                "SELECT COUNT(*) FROM staff_tokens WHERE staff_id = :staff "
                "AND revoked_at IS NULL" + chosen, params)[0][0]
            tx.execute(
                "UPDATE staff_tokens SET revoked_at = :now "
                "WHERE staff_id = :staff AND revoked_at IS NULL" + chosen, params)
        return int(before)
