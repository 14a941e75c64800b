"""The firm's own Peppol provider: the host of the SMP it registers its clients with.

A firm setting next to its access points (read-side, like them): a company already
registered with this SMP is the firm's own registration, any other SMP is another
provider's, which the Peppol lookup warns about before receiving is enabled.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.sqldb import Database, create_table_once

SCHEMA = """CREATE TABLE IF NOT EXISTS peppol_firm_provider (
    firm_id TEXT PRIMARY KEY, smp_host TEXT NOT NULL, updated_at TEXT NOT NULL)"""


class FirmPeppolProvider:
    def __init__(self, db: Database) -> None:
        self.db = db
        create_table_once(db, SCHEMA)

    def smp_host(self, firm_id: UUID) -> str | None:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT smp_host FROM peppol_firm_provider WHERE firm_id = :f",
                              {"f": str(firm_id)})
        return str(rows[0][0]) if rows else None

    def set_smp_host(self, firm_id: UUID, host: str) -> str:
        host = (host or "").strip().lower().rstrip(".")
        if not host or "/" in host or " " in host:
            raise InvalidValue("smp_host", "give the SMP's host name, e.g. smp.provider.example")
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO peppol_firm_provider (firm_id, smp_host, updated_at) VALUES "
                "(:f, :h, :at) ON CONFLICT (firm_id) DO UPDATE SET smp_host = :h, "
                "updated_at = :at", {"f": str(firm_id), "h": host,
                                      "at": datetime.now(UTC).isoformat()})
        return host
