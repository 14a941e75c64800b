"""The one consumer runner: every process that consumes (``serve``, ``project``,
``route``) runs its handlers' consumers through it, with one crash policy.

Each consumer runs in a thread of its own. An outage is waited out inside the runtime;
a bug crashes the consumer, and the runner starts it again (a fresh source, from its
last commit) under ``retries.consumer_restarts``. When that policy gives up, the runner
stops every consumer and reports failure (``wait`` returns 1, ``on_failure`` is called):
a process never stays up while one of its consumers is dead.

Stopping lets a step in flight finish (a delivery to a slow package, a batch being
written) for up to ``STOP_GRACE_S``, so that its offsets or positions are committed and
nothing is done twice on the next start. A consumer still busy after that is named in
the log; its uncommitted messages are processed again on the next start (at least once).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import structlog
from tenacity import RetryCallState, Retrying

from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.bus.status import ConsumerState, ConsumerStatuses
from lucy_events.retries import consumer_outage, consumer_restarts

log = structlog.get_logger()

#: How long stopping waits for the steps in flight: longer than a package's send
#: timeout (30 s), so a delivery under way ends and is recorded before the process exits.
STOP_GRACE_S = 40.0


@dataclass(frozen=True)
class Consumer:
    """A consumer's name and how to build its runtime (source, handler, dead letters)."""

    name: str
    build: Callable[[], ConsumerRuntime]


class ConsumerRunner:
    def __init__(
        self, consumers: Sequence[Consumer], statuses: ConsumerStatuses, *,
        restarting: Callable[..., Retrying] = consumer_restarts,
        on_failure: Callable[[], None] | None = None,
    ) -> None:
        self.consumers = list(consumers)
        self.statuses = statuses
        self.restarting = restarting
        self.on_failure = on_failure
        self.stop_event = threading.Event()
        self.failed: str | None = None
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for consumer in self.consumers:
            self.statuses.set_state(consumer.name, ConsumerState.STARTING)
            thread = threading.Thread(target=self._run, args=(consumer,),
                                      name=f"consumer-{consumer.name}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def _run(self, consumer: Consumer) -> None:
        try:
            for attempt in self.restarting(self.stop_event,
                                           before_sleep=self._restarting(consumer.name)):
                with attempt:
                    self._run_once(consumer)
        except Exception as error:
            if self.stop_event.is_set():
                return
            reason = f"{type(error).__name__}: {error}"[:500]
            log.critical("consumer keeps crashing; stopping the process",
                         consumer=consumer.name, error=reason, exc_info=error)
            self.statuses.set_state(consumer.name, ConsumerState.FAILED, reason)
            self.failed = self.failed or consumer.name
            self.stop_event.set()
            if self.on_failure is not None:
                self.on_failure()

    def _run_once(self, consumer: Consumer) -> None:
        runtime: ConsumerRuntime | None = None
        for attempt in consumer_outage(self.stop_event):  # e.g. no broker to join yet
            with attempt:
                runtime = consumer.build()
        assert runtime is not None
        runtime.statuses = self.statuses
        runtime.run(self.stop_event)

    def _restarting(self, consumer: str) -> Callable[[RetryCallState], None]:
        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            reason = f"{type(error).__name__}: {error}"[:500]
            self.statuses.set_state(consumer, ConsumerState.RESTARTING, reason)
            self.statuses.count(consumer, restarts=1)
            log.error("consumer crashed; restarting", consumer=consumer,
                      attempt=state.attempt_number, sleep=round(state.upcoming_sleep, 2),
                      error=reason, exc_info=error)

        return before_sleep

    def wait(self) -> int:
        """Block until the runner stops (``stop``, or a consumer failed for good); the
        process's exit code: 0, or 1 when a consumer failed."""
        self.stop_event.wait()
        self.join()
        return 1 if self.failed else 0

    def stop(self, timeout: float = STOP_GRACE_S) -> list[str]:
        self.stop_event.set()
        return self.join(timeout)

    def join(self, timeout: float = STOP_GRACE_S) -> list[str]:
        """Wait, ``timeout`` seconds in all, for every consumer thread to end; the names
        of those still busy (logged: their uncommitted messages come again next start)."""
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        busy = [thread.name.removeprefix("consumer-") for thread in self.threads
                if thread.is_alive() and thread is not threading.current_thread()]
        if busy:
            log.warning("consumers still in a step when stopping; their uncommitted "
                        "messages are processed again on the next start",
                        consumers=busy, waited_s=timeout)
        return busy
