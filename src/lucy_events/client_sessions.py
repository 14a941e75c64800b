"""The client portal's sessions and single-use links, kept server-side so they can end.

A session's cookie carries only a random id; the store keeps its sha256 with the user,
their company and firm. A session stops working on sign-out, when its user is removed
(``ClientUsers.remove``: the user's row is gone, and a session is found only while it
is there), or when it is older than ``MAX_AGE``.

A link (an invitation to choose a password, or a sign-in link sent by e-mail) is a
random token whose sha256 is stored with its purpose and expiry; using it marks it used
in the same statement that checks it, so it works once, even when two requests race.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from lucy_events.client_users import ensure_tables
from lucy_events.sqldb import Database

#: As long as a signed-in browser is trusted without signing in again.
MAX_AGE = timedelta(hours=12)
#: How long each kind of link may be used.
LINK_VALID = {"invitation": timedelta(days=7), "sign-in": timedelta(minutes=20)}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientSession:
    user_id: UUID
    client_id: UUID
    firm_id: UUID


class ClientSessions:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_tables(db)

    def start(self, user_id: UUID, client_id: UUID, firm_id: UUID) -> str:
        """A new session's id (for the cookie); only its hash is stored."""
        session_id = secrets.token_urlsafe(32)
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO lucy_client_sessions (session_hash, user_id, client_id, "
                       "firm_id, created_at) VALUES (:hash, :user, :client, :firm, :now)",
                       {"hash": _hash(session_id), "user": str(user_id),
                        "client": str(client_id), "firm": str(firm_id),
                        "now": _now().isoformat()})
        return session_id

    def find(self, session_id: str) -> ClientSession | None:
        """The session while it has not ended, is younger than MAX_AGE and its user is
        still a user of the same company."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT s.user_id, s.client_id, s.firm_id FROM lucy_client_sessions s "
                "JOIN lucy_client_users u ON u.user_id = s.user_id AND u.client_id = "
                "s.client_id WHERE s.session_hash = :hash AND s.ended_at IS NULL AND "
                "s.created_at > :oldest",
                {"hash": _hash(session_id), "oldest": (_now() - MAX_AGE).isoformat()})
        return ClientSession(*(UUID(v) for v in rows[0])) if rows else None

    def end(self, session_id: str, why: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("UPDATE lucy_client_sessions SET ended_at = :now, ended_why = :why "
                       "WHERE session_hash = :hash AND ended_at IS NULL",
                       {"hash": _hash(session_id), "why": why, "now": _now().isoformat()})

    def open_count(self, user_id: UUID) -> int:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT COUNT(*) FROM lucy_client_sessions WHERE user_id = :u "
                              "AND ended_at IS NULL", {"u": str(user_id)})
        return int(rows[0][0])


class ClientLinks:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_tables(db)

    def issue(self, user_id: UUID, purpose: str) -> str:
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO lucy_client_user_links (token_hash, user_id, purpose, "
                       "created_at, expires_at) VALUES (:hash, :user, :purpose, :now, :ends)",
                       {"hash": _hash(token), "user": str(user_id), "purpose": purpose,
                        "now": now.isoformat(),
                        "ends": (now + LINK_VALID[purpose]).isoformat()})
        return token

    def peek(self, token: str, purpose: str) -> UUID | None:
        """The user a link is for, while it is usable (without using it)."""
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT user_id FROM lucy_client_user_links WHERE token_hash = "
                              ":hash AND purpose = :purpose AND used_at IS NULL AND "
                              "expires_at > :now", {"hash": _hash(token), "purpose": purpose,
                                                    "now": _now().isoformat()})
        return UUID(rows[0][0]) if rows else None

    def use(self, token: str, purpose: str) -> UUID | None:
        """The user a link is for, once: the link is used up in the same statement."""
        with self.db.transaction() as tx:
            rows = tx.execute("UPDATE lucy_client_user_links SET used_at = :now WHERE "
                              "token_hash = :hash AND purpose = :purpose AND used_at IS NULL "
                              "AND expires_at > :now RETURNING user_id",
                              {"hash": _hash(token), "purpose": purpose,
                               "now": _now().isoformat()})
        return UUID(rows[0][0]) if rows else None
