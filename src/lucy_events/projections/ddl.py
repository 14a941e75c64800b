"""Creating the read models' tables and indexes, alike on SQLite and PostgreSQL.

A renamed table keeps its index names, so each index has two possible names and a new
table takes the one that is free: a replay's fresh tables never collide with the live
ones they replace, however many replays ran before.
"""

from __future__ import annotations

import structlog

from lucy_events.projections.tables import TYPES, Index, Table
from lucy_events.sqldb import Transaction

log = structlog.get_logger()


def create_table(
    tx: Transaction, dialect: str, table: Table, physical: str, *, indexes: bool = True
) -> None:
    """Create the table (and its indexes, unless ``indexes`` is False: a replay adds them
    once the table is full, which is quicker than keeping them up to date row by row)."""
    which = 0 if dialect == "postgresql" else 1
    columns = ", ".join(f"{name} {TYPES[kind][which]}" for name, kind in table.columns)
    tx.execute(
        f"CREATE TABLE IF NOT EXISTS {physical} ({columns}, PRIMARY KEY ({', '.join(table.key)}))"
    )
    add_missing_columns(tx, dialect, table, physical)
    if indexes:
        ensure_indexes(tx, dialect, table, physical)


def add_missing_columns(tx: Transaction, dialect: str, table: Table, physical: str) -> None:
    """A live table made by an older version gains the columns added since (empty).
    Rows of earlier events get their values from a replay (``lucy-events replay``),
    whose fresh tables have every column: said once, in the log."""
    if dialect == "postgresql":
        rows = tx.execute("SELECT column_name FROM information_schema.columns WHERE "
                          "table_schema = current_schema() AND table_name = :name",
                          {"name": physical})
    else:
        rows = tx.execute(f"SELECT name FROM pragma_table_info('{physical}')")
    existing = {name for (name,) in rows}
    missing = [(name, kind) for name, kind in table.columns if name not in existing]
    which = 0 if dialect == "postgresql" else 1
    for name, kind in missing:
        tx.execute(f"ALTER TABLE {physical} ADD COLUMN {name} {TYPES[kind][which]}")
    if missing:
        log.warning("read model table gained columns; replay it to fill them for earlier "
                    "events", table=physical, columns=[name for name, _ in missing])


def index_names(tx: Transaction, dialect: str) -> dict[str, str]:
    """Every index of the current schema -> the table it belongs to."""
    if dialect == "postgresql":
        rows = tx.execute(
            "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()"
        )
    else:
        rows = tx.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
    return {name: table for name, table in rows}


def ensure_indexes(tx: Transaction, dialect: str, table: Table, physical: str) -> None:
    existing = index_names(tx, dialect)
    for index in table.indexes:
        names = [f"ix_{table.name}_{index.purpose}", f"ix_{table.name}_{index.purpose}_b"]
        if any(existing.get(name) == physical for name in names):
            continue
        definition = _definition(tx, dialect, index)
        if definition is None:
            continue
        name = next(n for n in names if n not in existing)
        where = f" WHERE {index.where}" if index.where else ""
        tx.execute(f"CREATE INDEX {name} ON {physical} {definition}{where}")
        existing[name] = physical


def _definition(tx: Transaction, dialect: str, index: Index) -> str | None:
    if not index.trigram:
        return f"({index.columns})"
    if dialect != "postgresql":
        return None
    schema = trigram_schema(tx)
    return f'USING gin ({index.columns} "{schema}".gin_trgm_ops)' if schema else None


def trigram_schema(tx: Transaction) -> str | None:
    """Where pg_trgm is installed; installed into ``public`` first when the server has
    it and we may. None when it is not to be had: substring searches then scan."""
    found = tx.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    if found:
        return str(found[0][0])
    tx.execute("SAVEPOINT lucy_trgm")
    try:
        tx.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except Exception as error:  # not available, or not allowed: do without
        tx.execute("ROLLBACK TO SAVEPOINT lucy_trgm")
        log.info("pg_trgm not available; substring search without an index", error=str(error))
        return None
    tx.execute("RELEASE SAVEPOINT lucy_trgm")
    return "public"


def table_exists(tx: Transaction, dialect: str, physical: str) -> bool:
    if dialect == "postgresql":
        sql = ("SELECT 1 FROM information_schema.tables "
               "WHERE table_schema = current_schema() AND table_name = :name")
    else:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"
    return bool(tx.execute(sql, {"name": physical}))
