"""One small SQL API over SQLite and PostgreSQL, for read models and positions.

Statements use named parameters (``:name``) and SQL both databases speak (upserts with
``ON CONFLICT``). Each ``transaction()`` commits on success and rolls back on error,
which is what lets a handler store its source position with its writes, atomically.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit
from weakref import WeakKeyDictionary

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Transaction(Protocol):
    dialect: str

    def execute(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]: ...
    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...
    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert new rows (values in ``columns``' order): PostgreSQL's COPY, the quickest
        way in; on SQLite an executemany."""


class Database:
    """Opens connections lazily (nothing connects at import or construction)."""

    dialect: str

    @staticmethod
    def from_url(url: str, *, timeout: float = 30.0) -> Database:
        """``timeout``: PostgreSQL's wait for a connection (SQLite waits for locks)."""
        if url.startswith("sqlite:"):
            return SQLiteDatabase(unquote(urlsplit(url).path)[1:] or ":memory:")
        if url.startswith(("postgresql://", "postgres://")):
            return PostgresDatabase(url, timeout=timeout)
        raise ValueError(f"unsupported database URL {url!r}")

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        raise NotImplementedError
        yield  # pragma: no cover

    def close(self) -> None:
        pass


class _SQLiteTransaction:
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def execute(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, params or {}).fetchall()

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.connection.executemany(sql, rows)

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        marks = ", ".join("?" for _ in columns)
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


class SQLiteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield _SQLiteTransaction(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


class _PostgresTransaction:
    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(_pg(sql), params or None, prepare=bool(params))
        return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if len(rows) == 1:  # one prepared statement: psycopg's executemany sets up a
            # pipeline, which for one row cost more than the statement (a following
            # relay's position, saved once a cycle: docs/benchmarks.md, Relay, session 9)
            self.connection.execute(_pg(sql), rows[0], prepare=True)
        elif rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(_pg(sql), rows)

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        with self.connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            write = copy.write_row
            for row in rows:
                write(row)


_PG_CACHE: dict[str, str] = {}


def _pg(sql: str) -> str:
    converted = _PG_CACHE.get(sql)
    if converted is None:
        converted = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        _PG_CACHE[sql] = converted
    return converted


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 4, *, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.timeout = timeout
        self.schema = (parse_qs(parts.query).get("schema") or ["public"])[0]
        self.conninfo = parts._replace(query="").geturl()
        self.pool_size = pool_size
        self._pool: Any = None

    def _get_pool(self) -> Any:
        if self._pool is None:
            from psycopg_pool import ConnectionPool

            schema = self.schema.replace('"', "")
            self._pool = ConnectionPool(
                self.conninfo, min_size=1, max_size=self.pool_size, open=True,
                timeout=self.timeout,
                kwargs={"options": f"-c search_path={schema}",
                        "connect_timeout": max(1, round(self.timeout))},
            )
        return self._pool

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._get_pool().connection() as connection, connection.transaction():
            yield _PostgresTransaction(connection)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


_schemas_ready: WeakKeyDictionary[Database, set[str]] = WeakKeyDictionary()
_schemas_creating = threading.Lock()


def ensure_schema(db: Database, name: str, statements: Sequence[str],
                  then: Callable[[Transaction], None] | None = None) -> None:
    """Run the ``CREATE ... IF NOT EXISTS`` statements of the read-side tables called
    ``name`` once per database object. On PostgreSQL under an advisory lock named after
    them: ``CREATE TABLE IF NOT EXISTS`` races with itself when two requests or two
    processes start together (a unique violation in the catalogue, answered 500).
    ``then`` runs in the same transaction (columns added since the tables shipped)."""
    if name in _schemas_ready.get(db, ()):
        return
    with _schemas_creating:
        done = _schemas_ready.setdefault(db, set())
        if name in done:
            return
        with db.transaction() as tx:
            if db.dialect == "postgresql":
                tx.execute("SELECT pg_advisory_xact_lock(hashtext(:name))",
                           {"name": f"lucy_events.{name}"})
            for statement in statements:
                tx.execute(statement)
            if then is not None:
                then(tx)
        done.add(name)
