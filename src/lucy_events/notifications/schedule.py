"""Running a check inside ``serve`` now and then every ``interval`` seconds until stopped.

One loop for every periodic check (invitation reminders, digests): a failing run is
logged and the next one tries again; what each check sends is kept once by the ledger,
so a run repeated after a restart sends nothing twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

log = structlog.get_logger()


class PeriodicCheck:
    def __init__(self, name: str, run_once: Callable[[], object], interval: float) -> None:
        self.name, self.run_once, self.interval = name, run_once, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception(f"{self.name} failed; trying again at the next run")
            self._stop.wait(self.interval)
