"""The read-side tables that hold credentials and their use: access tokens (hashed),
dashboard sessions (hashed ids) and failed authentications (for throttling).

None of them is a business fact, so none lives in the event store. They are created
once per database object; on PostgreSQL under an advisory lock, because ``CREATE TABLE
IF NOT EXISTS`` races with itself when two processes start together.
"""

from __future__ import annotations

import threading
from weakref import WeakSet

from lucy_events.sqldb import Database, Transaction

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

_ready: WeakSet[Database] = WeakSet()
_creating = threading.Lock()


def ensure_tables(db: Database) -> None:
    if db in _ready:
        return
    with _creating, db.transaction() as tx:
        if db.dialect == "postgresql":
            tx.execute("SELECT pg_advisory_xact_lock(hashtext('lucy_events.credentials'))")
        for statement in TABLES:
            tx.execute(statement)
        for table, column, kind in ADDED_COLUMNS:
            if column not in _columns(tx, table):
                tx.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    _ready.add(db)


def _columns(tx: Transaction, table: str) -> set[str]:
    if tx.dialect == "postgresql":
        rows = tx.execute("SELECT column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = :table",
                          {"table": table})
        return {str(row[0]) for row in rows}
    return {str(row[1]) for row in tx.execute(f"PRAGMA table_info({table})")}
