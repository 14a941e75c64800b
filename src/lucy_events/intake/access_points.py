"""The firm's Peppol access points and their tokens, stored only as their sha256.

An access point posts received documents to ``/api/v1/peppol/inbound`` with its own
bearer token: it is a machine of one firm, not a staff member, so a staff token does
not work there and an access-point token works nowhere else. Like staff tokens, these
are credentials, kept in the read-side database and never in the event store.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from lucy_events.access_tokens import token_hash
from lucy_events.aggregates.companies import required_text
from lucy_events.sqldb import Database, ensure_schema

PREFIX = "lucy_ap_"
SCHEMA = """CREATE TABLE IF NOT EXISTS peppol_access_points (
    access_point_id TEXT PRIMARY KEY, firm_id TEXT NOT NULL, name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT)"""


@dataclass(frozen=True)
class AccessPoint:
    access_point_id: UUID
    firm_id: UUID
    name: str
    created_at: str
    revoked_at: str | None


class AccessPoints:
    def __init__(self, db: Database) -> None:
        self.db = db
        ensure_schema(db, "peppol_access_points", [SCHEMA])

    def add(self, firm_id: UUID, name: str) -> tuple[AccessPoint, str]:
        """Register an access point of the firm; returns it and its token (shown once)."""
        token = PREFIX + secrets.token_urlsafe(32)
        point = AccessPoint(uuid4(), firm_id, required_text(name, "name", 200),
                            datetime.now(UTC).isoformat(), None)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO peppol_access_points (access_point_id, firm_id, name, "
                "token_hash, created_at) VALUES (:id, :firm, :name, :hash, :now)",
                {"id": str(point.access_point_id), "firm": str(firm_id), "name": point.name,
                 "hash": token_hash(token), "now": point.created_at})
        return point, token

    def owner(self, token: str) -> AccessPoint | None:
        """The access point a token belongs to, unless revoked or unknown."""
        if not token.startswith(PREFIX):
            return None
        found = self._select("token_hash = :hash AND revoked_at IS NULL",
                             {"hash": token_hash(token)})
        return found[0] if found else None

    def of_firm(self, firm_id: UUID) -> list[AccessPoint]:
        return self._select("firm_id = :firm", {"firm": str(firm_id)})

    def revoke(self, firm_id: UUID, access_point_id: UUID) -> bool:
        with self.db.transaction() as tx:
            found = tx.execute(
                "SELECT 1 FROM peppol_access_points WHERE access_point_id = :id "
                "AND firm_id = :firm AND revoked_at IS NULL",
                {"id": str(access_point_id), "firm": str(firm_id)})
            tx.execute(
                "UPDATE peppol_access_points SET revoked_at = :now "
                "WHERE access_point_id = :id AND firm_id = :firm AND revoked_at IS NULL",
                {"id": str(access_point_id), "firm": str(firm_id),
                 "now": datetime.now(UTC).isoformat()})
        return bool(found)

    def _select(self, where: str, params: dict[str, str]) -> list[AccessPoint]:
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT access_point_id, firm_id, name, created_at, revoked_at "
                f"FROM peppol_access_points WHERE {where} ORDER BY created_at", params)
        return [AccessPoint(UUID(r[0]), UUID(r[1]), r[2], r[3], r[4]) for r in rows]
