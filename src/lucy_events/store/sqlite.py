"""The embedded SQLite application recorder, with the audit hash chain
(``lucy_events.audit.links``) written in the same transaction as the events.

SQLite lets one writer in at a time: the events are inserted first (which takes the write
lock), then the chain's head is read and extended, so two processes cannot fork it.

Writers in several processes (``serve`` or ``api`` beside ``smtp``, the SMTP intake's
worker processes) take turns on a file lock beside the database (``<db>.write.lock``)
before SQLite's own: SQLite makes a writer that finds the database locked sleep and try
again (1, 2, 5, 10 ms ... up to the lock timeout), where the file lock wakes the next
writer the moment the last one commits. With two intake worker processes about four
saves in ten slept, and the intake took 94 to 165 mails/s against 204 to 210 with the file
lock (docs/benchmarks.md, session 8). Within a process the threads take turns first (a
file lock is the process's, whichever thread took it).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from lucy_events.audit.links import GENESIS, Checkpoint, StoredRow, link


class WriterTurns:
    """The file lock the event store's writers take turns on, across processes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._thread_lock.acquire()
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def __init__(
        self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"
    ) -> None:
        self.chain_table = f"{events_table_name}_chain"
        self.checkpoints_table = f"{events_table_name}_checkpoints"
        super().__init__(datastore, events_table_name)
        pool = datastore.pool
        #: None for an in-memory database (one process).
        self.writer_turns = (None if pool.is_sqlite_memory_mode
                             else WriterTurns(f"{pool.db_name}.write.lock"))

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if self.writer_turns is None:
            return super().insert_events(stored_events, **kwargs)
        with self.writer_turns:
            return super().insert_events(stored_events, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} "
            "(notification_id INTEGER PRIMARY KEY, hash BLOB NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {self.checkpoints_table} (position INTEGER PRIMARY "
            "KEY, hash BLOB NOT NULL, taken_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs) or []
        c.execute(f"SELECT hash FROM {self.chain_table} ORDER BY notification_id DESC LIMIT 1")
        row = c.fetchone()
        previous = bytes(row[0]) if row else GENESIS
        links = []
        for notification_id, event in zip(ids, stored_events, strict=True):
            originator_id = event.originator_id if isinstance(event.originator_id, UUID) else (
                UUID(str(event.originator_id)))
            previous = link(previous, notification_id, originator_id.bytes,
                            event.originator_version, event.topic, bytes(event.state))
            links.append((notification_id, previous))
        c.executemany(f"INSERT INTO {self.chain_table} VALUES (?, ?)", links)
        return ids

    def _rows(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return list(c.fetchall())

    def chain_events(self, after: int, limit: int) -> list[StoredRow]:
        rows = self._rows(
            f"SELECT rowid, originator_id, originator_version, topic, state FROM "
            f"{self.events_table_name} WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit))
        return [StoredRow(n, bytes.fromhex(o), v, t, bytes(s)) for n, o, v, t, s in rows]

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        rows = self._rows(f"SELECT notification_id, hash FROM {self.chain_table} WHERE "
                          "notification_id > ? ORDER BY notification_id LIMIT ?", (after, limit))
        return [(n, bytes(h)) for n, h in rows]

    def chain_head(self) -> Checkpoint | None:
        rows = self._rows(f"SELECT notification_id, hash FROM {self.chain_table} "
                          "ORDER BY notification_id DESC LIMIT 1")
        return Checkpoint(rows[0][0], bytes(rows[0][1])) if rows else None

    def record_checkpoint(self, checkpoint: Checkpoint) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT OR IGNORE INTO {self.checkpoints_table} (position, hash) "
                      "VALUES (?, ?)", (checkpoint.position, checkpoint.hash))

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._rows(f"SELECT position, hash FROM {self.checkpoints_table} ORDER BY "
                          "position")
        return [Checkpoint(p, bytes(h)) for p, h in rows]
