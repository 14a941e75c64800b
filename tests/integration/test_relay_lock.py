"""The relay lock lets one relay publish at a time, and is free again the moment its holder
dies: an advisory lock on PostgreSQL (per schema), a file lock beside an SQLite store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from lucy_events.bus.relay_lock import FileRelayLock, PostgresRelayLock

HOLD_FILE_LOCK = """
import sys, time
from pathlib import Path
from lucy_events.bus.relay_lock import FileRelayLock
lock = FileRelayLock(Path(sys.argv[1]))
assert lock.try_acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_sqlite_relay_waits_until_the_first_one_dies(tmp_path):
    path = tmp_path / "events.sqlite.relay.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_FILE_LOCK, str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        standby = FileRelayLock(path, retry_every=0.1)
        assert not standby.try_acquire()
        holder.kill()  # SIGKILL: the kernel releases the lock
        holder.wait()
        assert standby.acquire(threading.Event())
        assert standby.still_held()
        standby.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_standby_stops_waiting_when_asked_to_stop(tmp_path):
    path = tmp_path / "lock"
    active, standby = FileRelayLock(path), FileRelayLock(path, retry_every=0.05)
    assert active.try_acquire()
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert standby.acquire(stop) is False
    assert time.monotonic() - started < 2
    active.release()
    assert standby.try_acquire()
    standby.release()


@pytest.mark.postgres
def test_on_postgresql_one_relay_per_schema_holds_the_lock_until_its_session_ends(
    postgres_server
):
    first = PostgresRelayLock(postgres_server, "lucy_events.relay:test_a")
    second = PostgresRelayLock(postgres_server, "lucy_events.relay:test_a")
    other_schema = PostgresRelayLock(postgres_server, "lucy_events.relay:test_b")
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert other_schema.try_acquire()  # another store's relay is not held back
        assert first.still_held()
        first._conn.close()  # type: ignore[union-attr]  # the session ends (a dead process)
        assert not first.still_held()
        # The server ends the closed session's backend (and frees its lock) a moment
        # later, not at once: on a busy machine the standby's first try may be early.
        deadline = time.monotonic() + 10
        while not second.try_acquire():
            assert time.monotonic() < deadline, "the lock outlived its session by 10 s"
            time.sleep(0.05)
    finally:
        for lock in (first, second, other_schema):
            lock.release()
