"""Dashboard sessions kept server-side, so they can be ended.

The signed cookie carries only a random session id; the store keeps its sha256 with
the staff member and the role they had when signing in. A session stops working when it
is ended: on sign-out, when the staff member leaves the firm, when their role is no
longer the one they signed in with, when their tokens are revoked
(``lucy-events staff tokens revoke``), or when it is older than ``MAX_AGE``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from lucy_events.credential_tables import ensure_tables
from lucy_events.sqldb import Database

#: As long as a signed-in browser is trusted without signing in again.
MAX_AGE = timedelta(hours=12)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True)
class StaffSession:
    firm_id: UUID
    staff_id: UUID
    role: str


class StaffSessions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, firm_id: UUID, staff_id: UUID, role: str) -> str:
        """A new session's id (for the cookie); only its hash is stored."""
        ensure_tables(self.db)
        session_id = secrets.token_urlsafe(32)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO staff_sessions (session_hash, firm_id, staff_id, role, "
                "created_at) VALUES (:hash, :firm, :staff, :role, :now)",
                {"hash": _hash(session_id), "firm": str(firm_id), "staff": str(staff_id),
                 "role": role, "now": datetime.now(UTC).isoformat()})
        return session_id

    def find(self, session_id: str) -> StaffSession | None:
        """The session while it has not ended and is younger than MAX_AGE."""
        ensure_tables(self.db)
        oldest = datetime.now(UTC) - MAX_AGE
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT firm_id, staff_id, role FROM staff_sessions WHERE session_hash = "
                ":hash AND ended_at IS NULL AND created_at > :oldest",
                {"hash": _hash(session_id), "oldest": oldest.isoformat()})
        return StaffSession(UUID(rows[0][0]), UUID(rows[0][1]), rows[0][2]) if rows else None

    def end(self, session_id: str, why: str) -> None:
        ensure_tables(self.db)
        with self.db.transaction() as tx:
            tx.execute("UPDATE staff_sessions SET ended_at = :now, ended_why = :why "
                       "WHERE session_hash = :hash AND ended_at IS NULL",
                       {"hash": _hash(session_id), "why": why,
                        "now": datetime.now(UTC).isoformat()})

    def end_all(self, staff_id: UUID, why: str) -> int:
        """End every open session of the staff member; how many there were."""
        ensure_tables(self.db)
        params = {"staff": str(staff_id), "why": why, "now": datetime.now(UTC).isoformat()}
        with self.db.transaction() as tx:
            count = tx.execute("SELECT COUNT(*) FROM staff_sessions WHERE staff_id = :staff "
                               "AND ended_at IS NULL", params)[0][0]
            tx.execute("UPDATE staff_sessions SET ended_at = :now, ended_why = :why "
                       "WHERE staff_id = :staff AND ended_at IS NULL", params)
        return int(count)
