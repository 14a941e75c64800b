"""How each consumer of this process is doing, for the health endpoint and metrics.

The runtime and the runner report into one ``ConsumerStatuses`` (the process has one,
``Services.consumer_statuses``); readers take ``snapshot()``: frozen copies, safe to read
from any thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from enum import StrEnum


class ConsumerState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    #: waiting out an infrastructure failure (database, broker, network); nothing is
    #: committed meanwhile and the consumer resumes by itself when it passes
    STALLED = "stalled"
    #: crashed on a bug; its runner restarts it after a pause
    RESTARTING = "restarting"
    #: gave up after the restart policy's last attempt; the process is stopping
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ConsumerStatus:
    consumer: str
    state: ConsumerState
    #: time.time() of the last change of state
    since: float
    #: why it is stalled, restarting or failed (the error's type and message)
    reason: str | None = None
    processed: int = 0
    parked: int = 0
    #: infrastructure failures waited out (each retry counts)
    retries: int = 0
    restarts: int = 0

    @property
    def healthy(self) -> bool:
        return self.state in (ConsumerState.STARTING, ConsumerState.RUNNING,
                              ConsumerState.STOPPED)


class ConsumerStatuses:
    """The registry: one status per consumer name, updated by its runtime and runner."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._statuses: dict[str, ConsumerStatus] = {}

    def _get(self, consumer: str) -> ConsumerStatus:
        return self._statuses.get(consumer) or ConsumerStatus(
            consumer, ConsumerState.STARTING, time.time())

    def set_state(self, consumer: str, state: ConsumerState, reason: str | None = None) -> None:
        with self._lock:
            current = self._get(consumer)
            if current.state is state and current.reason == reason:
                return
            self._statuses[consumer] = replace(current, state=state, reason=reason,
                                               since=time.time())

    def count(self, consumer: str, *, processed: int = 0, parked: int = 0,
              retries: int = 0, restarts: int = 0) -> None:
        with self._lock:
            current = self._get(consumer)
            self._statuses[consumer] = replace(
                current, processed=current.processed + processed,
                parked=current.parked + parked, retries=current.retries + retries,
                restarts=current.restarts + restarts)

    def get(self, consumer: str) -> ConsumerStatus | None:
        with self._lock:
            return self._statuses.get(consumer)

    def snapshot(self) -> list[ConsumerStatus]:
        with self._lock:
            return sorted(self._statuses.values(), key=lambda s: s.consumer)
