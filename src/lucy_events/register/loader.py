"""Loading extracts into the read database: a full extract replaces the register, an
update applies its ``_delete.csv`` then its ``_insert.csv`` per table.

A full extract is loaded into ``*_loading`` tables in batches (each its own
transaction, so the read database's other writers are never held up for long), indexed,
then swapped in with the import's record in one short transaction: searches see the old
register until then, the new one after. An update is small and applied in one
transaction with its record, so it is applied once or not at all, and never twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import structlog

from lucy_events.register.dialects import LIVE_NAMES as LIVE
from lucy_events.register.dialects import Names, PostgresRegister, Register, register_for
from lucy_events.register.extract import Extract, ExtractMeta, Progress
from lucy_events.register.numbers import file_number
from lucy_events.register.tables import (
    CODE,
    IMPORTS_TABLE,
    TABLES,
    TableSpec,
    converted,
    create_table,
    key_index,
)
from lucy_events.sqldb import Database, Transaction

log = structlog.get_logger()
BATCH = 5000
LOADING = Names("_loading")
ALL = (CODE, *TABLES)


@dataclass(frozen=True)
class ImportReport:
    meta: ExtractMeta
    applied: bool
    rows: dict[str, int]
    reason: str = ""


def ensure_register(db: Database) -> Register:
    """The live tables exist (empty until an import); the dialect's helper for them."""
    register = register_for(db.dialect)
    with db.transaction() as tx:
        if isinstance(register, PostgresRegister):
            register.prepare(tx)
        tx.execute(IMPORTS_TABLE)
        _create(tx, register, LIVE, "live")
    return register


def _create(tx: Transaction, register: Register, names: Names, token: str) -> None:
    for spec in ALL:
        for statement in create_table(spec, names.table(spec), register.dialect):
            tx.execute(statement)
        for statement in key_index(spec, names.table(spec), token):
            tx.execute(statement)
    register.create_search(tx, names, token)


def import_extract(db: Database, extract: Extract,
                   progress: Progress | None = None) -> ImportReport:
    register = ensure_register(db)
    meta = extract.meta
    if not meta.is_full:
        return _apply_update(db, register, extract, progress)
    return _load_full(db, register, extract, progress)


def total_bytes(extract: Extract) -> int:
    """What an import of the extract will read (for a progress bar)."""
    names = [f"{s.file}{part}.csv" for s in ALL for part in ("", "_delete", "_insert")]
    return sum(extract.size(name) for name in names)


def _load_full(db: Database, register: Register, extract: Extract,
               progress: Progress | None) -> ImportReport:
    token = secrets.token_hex(4)
    with db.transaction() as tx:
        for spec in ALL:
            tx.execute(f"DROP TABLE IF EXISTS {LOADING.table(spec)}")
        for table in LOADING.search_tables(register.dialect):
            tx.execute(f"DROP TABLE IF EXISTS {table}")
        _create(tx, register, LOADING, token)
    counts = {}
    for spec in ALL:
        if extract.has(f"{spec.file}.csv"):
            rows = converted(spec, f"{spec.file}.csv", extract.rows(f"{spec.file}.csv", progress))
            counts[spec.file] = write_batches(db, register, spec, LOADING, rows)
    with db.transaction() as tx:
        register.index_search(tx, LOADING, token)
    with db.transaction() as tx:
        for spec in ALL:
            tx.execute(f"DROP TABLE IF EXISTS {LIVE.table(spec)}")
            tx.execute(f"ALTER TABLE {LOADING.table(spec)} RENAME TO {LIVE.table(spec)}")
        for loading, live in zip(LOADING.search_tables(register.dialect),
                                 LIVE.search_tables(register.dialect), strict=True):
            tx.execute(f"DROP TABLE IF EXISTS {live}")
            tx.execute(f"ALTER TABLE {loading} RENAME TO {live}")
        tx.execute("DELETE FROM kbo_import")
        _record(tx, extract.meta)
    log.info("register loaded", extract_number=extract.meta.extract_number, **counts)
    return ImportReport(extract.meta, True, counts)


def _apply_update(db: Database, register: Register, extract: Extract,
                  progress: Progress | None) -> ImportReport:
    meta = extract.meta
    with db.transaction() as tx:
        done = tx.execute("SELECT extract_number, extract_type FROM kbo_import")
    if (meta.extract_number, "update") in done:
        return ImportReport(meta, False, {}, f"update {meta.extract_number} was applied before")
    full = [number for number, kind in done if kind == "full"]
    if full and meta.extract_number <= max(full):
        return ImportReport(meta, False, {}, f"update {meta.extract_number} is already in "
                                             f"full extract {max(full)}")
    counts: dict[str, int] = {}
    with db.transaction() as tx:
        if extract.has("code.csv"):  # an update carries the whole code list
            tx.execute(f"DELETE FROM {LIVE.table(CODE)}")
            _insert(tx, register, CODE, LIVE,
                    converted(CODE, "code.csv", extract.rows("code.csv", progress)))
        for spec in TABLES:
            name = f"{spec.file}_delete.csv"
            if extract.has(name):
                keys = (file_number(row[spec.key], f"{name} {spec.key}")
                        for row in extract.rows(name, progress))
                for batch in _batches(({"k": k} for k in keys), BATCH):
                    register.delete(tx, spec, LIVE, [row["k"] for row in batch])
                    counts[f"{spec.file}_deleted"] = counts.get(
                        f"{spec.file}_deleted", 0) + len(batch)
        for spec in TABLES:
            name = f"{spec.file}_insert.csv"
            if extract.has(name):
                rows = converted(spec, name, extract.rows(name, progress))
                counts[spec.file] = _insert(tx, register, spec, LIVE, rows)
        _record(tx, meta)
    log.info("register updated", extract_number=meta.extract_number, **counts)
    return ImportReport(meta, True, counts)


def write_batches(db: Database, register: Register, spec: TableSpec, names: Names,
                  rows: Iterable[dict[str, Any]], batch: int = BATCH) -> int:
    """Write rows in batches, one transaction each; returns how many."""
    total = 0
    for chunk in _batches(rows, batch):
        with db.transaction() as tx:
            register.insert(tx, spec, names, chunk)
        total += len(chunk)
    return total


def _insert(tx: Transaction, register: Register, spec: TableSpec, names: Names,
            rows: Iterable[dict[str, Any]]) -> int:
    total = 0
    for chunk in _batches(rows, BATCH):
        register.insert(tx, spec, names, chunk)
        total += len(chunk)
    return total


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _record(tx: Transaction, meta: ExtractMeta) -> None:
    tx.execute(
        "INSERT INTO kbo_import (extract_number, extract_type, snapshot_date, "
        "extract_timestamp, imported_at) VALUES (:number, :kind, :snapshot, :stamp, :at)",
        {"number": meta.extract_number, "kind": meta.extract_type,
         "snapshot": meta.snapshot_date, "stamp": meta.extract_timestamp,
         "at": datetime.now(UTC).isoformat()})


def imports(db: Database) -> list[tuple[Any, ...]]:
    """The extracts the register holds: the full one and the updates since."""
    with db.transaction() as tx:
        tx.execute(IMPORTS_TABLE)
        return tx.execute("SELECT extract_number, extract_type, snapshot_date, imported_at "
                          "FROM kbo_import ORDER BY extract_number, extract_type")


