"""``lucy-events relay`` as one active relay and any number of hot standbys.

Each relay process waits for the relay lock (``bus.relay_lock``), then builds its relay,
which reads its position only now (a standby's would be stale), and publishes. Beside it a
watcher logs the relay's progress every few seconds (events published, position, lag) and
checks the lock: when the lock is lost the relay stops publishing and goes back to waiting.

A relay killed between the broker's acknowledgement and saving its position leaves the
next one to publish that last unsaved stretch again: at most the batches in flight, that
is up to two batches of ``--batch-size`` events (the relay pipelines one batch while the
previous one is acknowledged). That is the at-least-once window consumers de-duplicate
(on ``event-id``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

from lucy_events.bus.relay import Relay
from lucy_events.bus.relay_lock import RelayLock

log = structlog.get_logger()


def run_relay_as_leader(lock: RelayLock, make_relay: Callable[[], Relay],
                        stop: threading.Event, *, report_every: float = 5.0) -> None:
    """Publish while holding the lock, stand by while another relay does, until ``stop``."""
    while not stop.is_set():
        if not lock.acquire(stop):
            return
        log.info("relay lock taken", active=True)
        term = threading.Event()  # this relay's term as the active one
        lost = threading.Event()
        try:
            relay = make_relay()
            watcher = threading.Thread(
                target=_watch, args=(relay, lock, stop, term, lost, report_every),
                name="relay-watcher", daemon=True)
            watcher.start()
            try:
                relay.run(term)
            finally:
                term.set()
                watcher.join()
        finally:
            lock.release()
        if not lost.is_set():
            return
        log.warning("relay lock lost; stopped publishing, standing by again")


def _watch(relay: Relay, lock: RelayLock, stop: threading.Event, term: threading.Event,
           lost: threading.Event, every: float) -> None:
    last = relay.published
    check = min(every, 0.5)  # how soon a stop or a lost lock is seen
    waited = 0.0
    while not term.wait(check):
        if stop.is_set():
            term.set()
            return
        if not lock.still_held():
            lost.set()
            term.set()
            return
        waited += check
        if waited >= every:
            waited = 0.0
            published = relay.published
            try:
                lag: int | None = relay.lag()
            except Exception as error:  # the store away: report what is known
                log.warning("relay lag cannot be read", error=repr(error))
                lag = None
            log.info("relay progress", published=published - last, published_total=published,
                     position=relay.position, lag=lag)
            last = published
