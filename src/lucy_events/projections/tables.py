"""Read-model tables, described once for SQLite and PostgreSQL, and their rows' I/O.

A table's physical name may carry a suffix (``dashboard_clients_next``) when a replay
builds it beside the live one; ``ddl`` creates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson

from lucy_events.sqldb import Transaction

Row = dict[str, Any]

#: Column kinds -> (PostgreSQL type, SQLite type). Times are ISO-8601 UTC text on both,
#: so they sort and compare the same way everywhere.
TYPES = {
    "text": ("TEXT", "TEXT"),
    "int": ("INTEGER", "INTEGER"),
    "bigint": ("BIGINT", "INTEGER"),
    "bool": ("BOOLEAN", "INTEGER"),
    "real": ("DOUBLE PRECISION", "REAL"),
}
_IN_CHUNK = 500
_UPSERT_CHUNK = 5000


@dataclass(frozen=True)
class Index:
    purpose: str
    columns: str
    where: str = ""
    #: A trigram index for ``LIKE '%...%'`` on ``columns`` (one column): PostgreSQL with
    #: pg_trgm only; without it, substring searches scan the firm's rows.
    trigram: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @cached_property
    def bool_columns(self) -> tuple[str, ...]:
        return tuple(name for name, kind in self.columns if kind == "bool")

    def row(self, values: Sequence[Any]) -> Row:
        row = dict(zip(self.column_names, values, strict=True))
        for name in self.bool_columns:
            if row[name] is not None:
                row[name] = bool(row[name])
        return row


def select_rows(
    tx: Transaction, dialect: str, table: Table, physical: str, keys: Iterable[str]
) -> dict[str, Row]:
    """The rows whose (single-column) key is one of ``keys``, by key."""
    wanted = sorted(set(keys))
    key = table.key[0]
    select = f"SELECT {', '.join(table.column_names)} FROM {physical} WHERE {key}"
    chunks: list[tuple[str, dict[str, Any]]]
    if dialect == "postgresql":  # one parameter, not 1000s; JSON, quicker to send than
        # an array, which psycopg quotes element by element
        chunks = [(f"{select} = ANY(ARRAY(SELECT json_array_elements_text(CAST(:keys AS json))))",
                   {"keys": orjson.dumps(wanted).decode()})]
    else:
        chunks = []
        for start in range(0, len(wanted), _IN_CHUNK):
            params = {f"k{i}": v for i, v in enumerate(wanted[start:start + _IN_CHUNK])}
            chunks.append((f"{select} IN ({', '.join(':' + k for k in params)})", params))
    found: dict[str, Row] = {}
    for sql, params in chunks if wanted else []:
        for values in tx.execute(sql, params):
            row = table.row(values)
            found[row[key]] = row
    return found


def upsert_rows(
    tx: Transaction, dialect: str, table: Table, physical: str,
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Insert or replace whole rows: on PostgreSQL one statement per few thousand rows,
    on SQLite an executemany (its loop runs in C, as quick)."""
    if not rows:
        return
    columns = table.column_names
    head = f"INSERT INTO {physical} ({', '.join(columns)}) "
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in table.key)
    tail = f" ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET {updates}"
    if dialect != "postgresql":
        values = ", ".join(f":{c}" for c in columns)
        tx.executemany(f"{head}VALUES ({values}){tail}", rows)
        return
    # One JSON parameter per chunk: PostgreSQL unpacks it into rows of the table's type.
    # (orjson: the standard library's encoder took a tenth of a rebuild's time.)
    sql = (f"{head}SELECT {', '.join(columns)} "
           f"FROM json_populate_recordset(NULL::{physical}, :rows){tail}")
    for start in range(0, len(rows), _UPSERT_CHUNK):
        chunk = orjson.dumps(list(rows[start:start + _UPSERT_CHUNK])).decode()
        tx.execute(sql, {"rows": chunk})
