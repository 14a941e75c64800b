"""The runtime's loop for a ``ConcurrentHandler`` (the router): keep polling while
messages are in flight, commit each partition up to its lowest unfinished message.

Messages go to a pool of threads, different keys (clients) at once and one key's in
order, the keys taking turns a message at a time; a slow package holds back only its
own client's later messages, and the commit point of its partition (``InFlight``).
Outcomes come back on a queue to the runtime's thread, which alone parks, counts and
commits. The same rules as the batch loop apply: an outage is waited out (in the worker,
for that message), poison is parked and counts as finished, a bug stops the key's later
messages and is raised out of ``step`` with nothing past it committed.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import structlog

from lucy_events.bus.faults import Fault, classify
from lucy_events.bus.in_flight import InFlight
from lucy_events.bus.runtime import Batch, Delivery

if TYPE_CHECKING:
    from lucy_events.bus.runtime import ConcurrentHandler, ConsumerRuntime

log = structlog.get_logger()
#: Outcome of a message a worker gave up on because an earlier one of its key hit a bug.
ABANDONED = object()
#: While messages are in flight a poll waits at most this long for new ones (it returns
#: as soon as any arrive), then the loop takes the outcomes that came back. Each poll is
#: a call into the Kafka client's IO thread: polling at 50 Hz cost the router more CPU
#: than its deliveries (docs/benchmarks.md, Delivery).
BUSY_POLL_TIMEOUT = 0.1
#: While messages are in flight the ``run`` loop commits at most this often (a commit is a
#: round trip to the broker); as soon as nothing is in flight, at once. Finished work
#: committed later is only handed out again after a crash, and found done.
BUSY_COMMIT_INTERVAL = 0.5


class Pipelined:
    def __init__(self, runtime: ConsumerRuntime, handler: ConcurrentHandler) -> None:
        self.runtime = runtime
        self.handler = handler
        self.in_flight = InFlight()
        self.max_in_flight = max(runtime.batch_size * 2, handler.workers)
        self._pool = ThreadPoolExecutor(handler.workers, thread_name_prefix=f"{handler.name}")
        self._keys: dict[Hashable, deque[Delivery]] = {}
        self._lock = threading.Lock()
        self._running = 0  # submitted, outcome not yet taken by the runtime's thread
        self._queued = 0  # keys handed to the pool, waiting for a worker (under _lock)
        self._outcomes: queue.Queue[tuple[Delivery, object]] = queue.Queue()
        self._context = structlog.contextvars.get_contextvars()
        self._commit_due = 0.0

    def step(self, settle: bool, commit_now: bool = True) -> int:
        """Poll once (unless too much is in flight), hand out what was polled, take the
        outcomes that came back, commit. ``settle``: wait for everything in flight first
        (a step that finishes what it polled, as the batch loop's does). ``commit_now``:
        commit what finished even while messages are still in flight, rather than at
        most every ``BUSY_COMMIT_INTERVAL``."""
        runtime = self.runtime
        batch = Batch()
        if len(self.in_flight) < self.max_in_flight and not self._round_waiting():
            timeout = BUSY_POLL_TIMEOUT if self._running else runtime.poll_timeout
            batch = runtime._riding_out(lambda: runtime.source.poll(runtime.batch_size, timeout))
        elif not settle:
            self._take(wait=runtime.poll_timeout)
        for item in batch.undecodable:
            runtime._park_undecodable(item)
            self.in_flight.seen((item.position.topic, item.position.partition),
                                item.position.offset)
        for partition, offset in batch.scanned.items():
            self.in_flight.seen(partition, offset)
        for delivery in batch.deliveries:
            self._submit(delivery)
        while settle and self._running:
            self._take(wait=1.0)
        self._take(wait=0)
        if commit_now or not self._running or time.monotonic() >= self._commit_due:
            self.commit()
        return len(batch)

    def _round_waiting(self) -> bool:
        """Whether a whole round of keys (one for each worker) waits for a worker: then
        no message polled now could start before one of them, so the loop takes
        outcomes instead of polling. Under a burst the records arriving meanwhile (the
        router's own DocumentSent among them) are then fetched in a few large fetches
        rather than one small fetch each time the relay publishes (about every 10 ms),
        each fetch's parsing being Python (docs/benchmarks.md, Delivery, session 12). A
        slow package holds its worker and its key, which is not waiting: it never keeps
        the loop from polling for other clients."""
        return self._queued >= self.handler.workers

    def _submit(self, delivery: Delivery) -> None:
        position = delivery.position
        try:
            wanted = self.handler.wants(delivery)
            key = self.handler.key_of(delivery) if wanted else None
        except Exception as error:  # an undecodable message without a key
            self.in_flight.begin(position)
            self._running += 1
            self._outcomes.put((delivery, error))
            return
        if not wanted:
            self.in_flight.seen((position.topic, position.partition), position.offset)
            self.runtime._count(processed=1)
            return
        self.in_flight.begin(position)
        self._running += 1
        with self._lock:
            waiting = self._keys.get(key)
            if waiting is not None:  # the key's worker takes it after the ones before it
                waiting.append(delivery)
                return
            self._keys[key] = deque([delivery])
        self._queue(key)

    def _queue(self, key: Hashable) -> None:
        """Hand the key to the pool: a worker takes it when one is free (RuntimeError
        once the pool is shutting down)."""
        with self._lock:
            self._queued += 1
        try:
            self._pool.submit(self._work, key)
        except RuntimeError:
            with self._lock:
                self._queued -= 1
            raise

    def _work(self, key: Hashable) -> None:
        """Handle the key's next message, then put the key back at the end of the pool's
        queue if it has more: the keys take turns a message at a time, so a client with
        many messages does not hold a worker while other clients' wait, and a burst keeps
        every worker busy to its end."""
        structlog.contextvars.bind_contextvars(**self._context)
        with self._lock:
            self._queued -= 1
        while self._work_one(key):
            try:
                self._queue(key)
                return
            except RuntimeError:  # the pool is shutting down: finish the key's messages here
                continue

    def _work_one(self, key: Hashable) -> bool:
        """Handle the key's first waiting message; whether the key has more."""
        with self._lock:
            waiting = self._keys[key]
            delivery = waiting[0]
        outcome: object = None
        try:
            self.runtime._riding_out(lambda: self.handler.handle_one(delivery))
        except BaseException as error:
            outcome = error
        with self._lock:
            waiting.popleft()
            abandoned = list(waiting) if _is_bug(outcome) else []
            if abandoned:
                waiting.clear()
            more = bool(waiting)
            if not more:
                del self._keys[key]
        self._outcomes.put((delivery, outcome))
        for later in abandoned:
            self._outcomes.put((later, ABANDONED))
        return more

    def _take(self, wait: float) -> None:
        """Take the outcomes that came back (waiting up to ``wait`` s for the first):
        finish the done and the parked, raise the first bug."""
        bug: BaseException | None = None
        while self._running:
            try:
                delivery, outcome = self._outcomes.get(timeout=wait) if wait else (
                    self._outcomes.get_nowait())
            except queue.Empty:
                break
            wait = 0
            self._running -= 1
            if outcome is ABANDONED:
                continue  # stays in flight: never committed past
            if isinstance(outcome, BaseException):
                if _is_bug(outcome):
                    bug = bug or outcome
                    continue
                self.runtime._park(delivery, outcome)
            else:
                self.runtime._count(processed=1)
            self.in_flight.finish(delivery.position)
        if bug is not None:
            raise bug

    def commit(self) -> None:
        points = self.in_flight.to_commit()
        if points:
            self.runtime._riding_out(lambda: self.runtime.source.commit(Batch(scanned=points)))
            self.in_flight.committed(points)
            self._commit_due = time.monotonic() + BUSY_COMMIT_INTERVAL

    def close(self) -> None:
        """Let the messages in flight finish, commit what did, and stop the workers."""
        self._pool.shutdown(wait=True)
        try:
            self._take(wait=0)
        except BaseException as error:
            log.warning("a message failed while the consumer stopped", error=repr(error))
        try:
            self.commit()
        except Exception as error:
            log.warning("could not commit while stopping", error=repr(error))


def _is_bug(outcome: object) -> bool:
    return isinstance(outcome, BaseException) and (
        not isinstance(outcome, Exception) or classify(outcome) is not Fault.MESSAGE)
