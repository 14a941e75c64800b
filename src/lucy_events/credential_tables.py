"""The read-side tables that hold credentials and their use: access tokens (hashed),
dashboard sessions (hashed ids) and failed authentications (for throttling).

None of them is a business fact, so none lives in the event store. They are created
once per database object by ``sqldb.ensure_schema`` (on PostgreSQL under an advisory
lock, because ``CREATE TABLE IF NOT EXISTS`` races with itself).
"""

from __future__ import annotations

from lucy_events.sqldb import Database, Transaction, ensure_schema

TABLES = (
    """CREATE TABLE IF NOT EXISTS staff_tokens (
        token_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
        label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS staff_sessions (
        session_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
        role TEXT NOT NULL, created_at TEXT NOT NULL, ended_at TEXT, ended_why TEXT)""",
    "CREATE INDEX IF NOT EXISTS staff_sessions_staff ON staff_sessions (staff_id)",
    """CREATE TABLE IF NOT EXISTS auth_failures (
        throttle_key TEXT PRIMARY KEY, failures INTEGER NOT NULL,
        window_started_at TEXT NOT NULL, blocked_until TEXT)""",
)
#: Columns added after the table first shipped: (table, column, type).
ADDED_COLUMNS = (("staff_tokens", "expires_at", "TEXT"),)

def ensure_tables(db: Database) -> None:
    ensure_schema(db, "credentials", TABLES, then=_add_columns)


def _add_columns(tx: Transaction) -> None:
    for table, column, kind in ADDED_COLUMNS:
        if column not in _columns(tx, table):
            tx.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _columns(tx: Transaction, table: str) -> set[str]:
    if tx.dialect == "postgresql":
        rows = tx.execute("SELECT column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = :table",
                          {"table": table})
        return {str(row[0]) for row in rows}
    return {str(row[1]) for row in tx.execute(f"PRAGMA table_info({table})")}
