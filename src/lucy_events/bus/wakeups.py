"""How a follower of the event store learns that there is something new.

PostgreSQL: LISTEN on the channel the recorder NOTIFYs on each save. A notification can
be lost (a dropped connection, a restart), so every wait is bounded: the follower polls
at least once per timeout whatever happens. In-process: the application's ``saved``
event. Anything else (SQLite from another process): plain polling.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:  # psycopg loads only where PostgreSQL is used
    import psycopg

log = structlog.get_logger()


class Wakeup:
    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when woken by new events."""
        time.sleep(timeout)
        return False

    def wait_or_stop(self, timeout: float, stop: threading.Event) -> None:
        """Wait for new events, the timeout or a stop, in short slices so a stop is
        seen within half a second whatever the timeout."""
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.wait(min(remaining, 0.5)):
                return

    def close(self) -> None:
        pass


class InProcessWakeup(Wakeup):
    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def wait(self, timeout: float) -> bool:
        woken = self.event.wait(timeout)
        self.event.clear()
        return woken


class PostgresWakeup(Wakeup):
    def __init__(self, conninfo: str, channel: str) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self._connection: psycopg.Connection | None = None

    def _listen(self) -> psycopg.Connection:
        import psycopg

        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.conninfo, autocommit=True)
            self._connection.execute(f'LISTEN "{self.channel}"')
        return self._connection

    def wait(self, timeout: float) -> bool:
        import psycopg

        try:
            for _ in self._listen().notifies(timeout=timeout, stop_after=1):
                return True
        except psycopg.Error as error:  # fall back to polling until LISTEN works again
            log.warning("LISTEN failed; polling", channel=self.channel, error=str(error))
            self.close()
            time.sleep(timeout)
        return False

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
