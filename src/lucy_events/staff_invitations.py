"""Single-use sign-in links for invited staff members, stored only as their sha256.

Like access tokens, a link is a credential, not a business fact: it lives in the read
database. Opening the link shows a page; only the POST from that page uses it (a mail
scanner that fetches the link does not spend it). Using it is one conditional UPDATE,
so two tabs (or two processes) racing on one link cannot both sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from lucy_events.sqldb import Database, ensure_schema

#: How long an unused link works.
VALID_FOR = timedelta(days=7)
SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_staff_invitations (
    link_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT)"""


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class InvitedStaff:
    firm_id: UUID
    staff_id: UUID


class StaffInvitations:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_schema(db, "lucy_staff_invitations", [SCHEMA])

    def issue(self, firm_id: UUID, staff_id: UUID, now: datetime | None = None) -> str:
        """A new link token (shown once); earlier unused links of the member stop working."""
        token = secrets.token_urlsafe(32)
        now = now or datetime.now(UTC)
        with self.db.transaction() as tx:
            tx.execute("UPDATE lucy_staff_invitations SET used_at = :now "
                       "WHERE staff_id = :staff AND used_at IS NULL",
                       {"staff": str(staff_id), "now": now.isoformat()})
            tx.execute(
                "INSERT INTO lucy_staff_invitations (link_hash, firm_id, staff_id, "
                "created_at, expires_at) VALUES (:hash, :firm, :staff, :now, :expires)",
                {"hash": link_hash(token), "firm": str(firm_id), "staff": str(staff_id),
                 "now": now.isoformat(), "expires": (now + VALID_FOR).isoformat()})
        return token

    def usable(self, token: str, now: datetime | None = None) -> InvitedStaff | None:
        """Whose link this is, while it is unused and unexpired (nothing is spent)."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT firm_id, staff_id FROM lucy_staff_invitations WHERE link_hash = "
                ":hash AND used_at IS NULL AND expires_at > :now",
                {"hash": link_hash(token), "now": (now or datetime.now(UTC)).isoformat()})
        return InvitedStaff(UUID(rows[0][0]), UUID(rows[0][1])) if rows else None

    def use(self, token: str, now: datetime | None = None) -> InvitedStaff | None:
        """Spend the link: its owner the first time, None ever after (or when expired)."""
        now = now or datetime.now(UTC)
        with self.db.transaction() as tx:
            rows = tx.execute(
                "UPDATE lucy_staff_invitations SET used_at = :now WHERE link_hash = :hash "
                "AND used_at IS NULL AND expires_at > :now RETURNING firm_id, staff_id",
                {"hash": link_hash(token), "now": now.isoformat()})
        return InvitedStaff(UUID(rows[0][0]), UUID(rows[0][1])) if rows else None

    def withdraw(self, staff_id: UUID, now: datetime | None = None) -> None:
        """Every unused link of the staff member stops working (they were deactivated)."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE lucy_staff_invitations SET used_at = :now "
                       "WHERE staff_id = :staff AND used_at IS NULL",
                       {"staff": str(staff_id),
                        "now": (now or datetime.now(UTC)).isoformat()})
