"""Which of a firm's clients has a company's number, from the dashboard's read model:
the application's duplicate check asks it about clients the event store's ids cannot
name (see ``client_rules.client_id_for``)."""

from __future__ import annotations

from uuid import UUID

from lucy_events.aggregates.companies import CompanyNumbers
from lucy_events.projections.dashboard_tables import CLIENTS
from lucy_events.sqldb import Database, Transaction


class ClientNumbers:
    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, firm_id: UUID, numbers: CompanyNumbers) -> UUID | None:
        with self.db.transaction() as tx:
            if not _exists(tx, CLIENTS.name):  # no read model yet: nothing to find
                return None
            rows = tx.execute(
                f"SELECT client_id FROM {CLIENTS.name} WHERE firm_id = :firm AND version > 0 "
                "AND country = :country AND ((enterprise_number IS NOT NULL "
                "AND enterprise_number = :number) OR (vat_number IS NOT NULL "
                "AND vat_number = :vat)) ORDER BY created_at LIMIT 1",
                {"firm": str(firm_id), "country": numbers.country,
                 "number": numbers.enterprise_number, "vat": numbers.vat_number})
        return UUID(rows[0][0]) if rows else None


def _exists(tx: Transaction, table: str) -> bool:
    sql = ("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :t"
           if tx.dialect == "sqlite" else "SELECT 1 FROM pg_tables WHERE tablename = :t "
           "AND schemaname = current_schema()")
    return bool(tx.execute(sql, {"t": table}))
