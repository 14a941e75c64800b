"""One relay at a time: the active relay holds a lock, any other waits as a hot standby.

Two relays publishing at once would not lose anything, but each would publish every event
(and move the one stored position back and forth). So ``lucy-events relay`` first takes:

- on PostgreSQL, a session-level advisory lock on a connection of its own, keyed by the
  event store's database and schema. PostgreSQL releases it when that session ends, which
  it notices at once when the process dies, even by SIGKILL (the kernel closes the socket);
- on SQLite, an exclusive ``fcntl`` lock on a file beside the event store, released by the
  kernel when the process dies.

A standby tries again every ``retry_every`` seconds, so it takes over within about that
long. The holder checks its lock every few seconds: a PostgreSQL session lost (a database
restart) means another relay may hold the lock now, so it stops publishing and waits again.
"""

from __future__ import annotations

import fcntl
import os
import threading
from abc import ABC, abstractmethod
from pathlib import Path

import psycopg
import structlog

log = structlog.get_logger()


class RelayLock(ABC):
    retry_every: float = 1.0

    @abstractmethod
    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process holds it."""

    @abstractmethod
    def still_held(self) -> bool:
        """Whether the lock is still this process's (checked every few seconds)."""

    @abstractmethod
    def release(self) -> None: ...

    def acquire(self, stop: threading.Event) -> bool:
        """Wait, as a hot standby, until the lock is ours (True) or ``stop`` is set."""
        waiting = False
        while not stop.is_set():
            try:
                if self.try_acquire():
                    return True
            except Exception as error:  # the database away: keep waiting, say so
                log.warning("relay lock cannot be asked for", error=repr(error))
            if not waiting:
                log.info("relay standing by", reason="another relay holds the relay lock")
                waiting = True
            stop.wait(self.retry_every)
        return False


class PostgresRelayLock(RelayLock):
    def __init__(self, url: str, name: str, *, retry_every: float = 1.0) -> None:
        self.url, self.name, self.retry_every = url, name, retry_every
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def try_acquire(self) -> bool:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        row = self._conn.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (self.name,)).fetchone()
        return bool(row and row[0])

    def still_held(self) -> bool:
        if self._conn is None or self._conn.closed:
            return False
        try:  # a session-level lock lasts as long as its session: is the session alive?
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            try:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.name,))
            except psycopg.Error as error:  # the session is gone: so is the lock
                log.debug("relay lock release", error=repr(error))
            conn.close()


class FileRelayLock(RelayLock):
    def __init__(self, path: Path, *, retry_every: float = 1.0) -> None:
        self.path, self.retry_every = path, retry_every
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())  # who holds it, for ops
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
