"""The embedded default's consumers: every handler fed from the notification log, in
this process, one thread each. The same handlers run on Kafka in production."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import structlog

from lucy_events.application import LucyApplication
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Handler
from lucy_events.sqldb import Database

log = structlog.get_logger()


class EmbeddedConsumers:
    def __init__(self, app: LucyApplication, db: Database, handlers: Sequence[Handler],
                 *, poll_timeout: float = 1.0) -> None:
        dead_letters = StoreDeadLetters(db)
        self.runtimes = [
            ConsumerRuntime(LogSource(app, db, h.name, h.topics), h, dead_letters,
                            poll_timeout=poll_timeout)
            for h in handlers
        ]
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for runtime in self.runtimes:
            thread = threading.Thread(target=self._run, args=(runtime,),
                                      name=f"consumer-{runtime.handler.name}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def _run(self, runtime: ConsumerRuntime) -> None:
        while not self.stop_event.is_set():
            try:
                runtime.run(self.stop_event)
            except Exception:  # a crashed loop restarts after a pause; never silently dies
                log.exception("consumer crashed; restarting", consumer=runtime.handler.name)
                self.stop_event.wait(2)

    def stop(self, timeout: float = 10) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout)
