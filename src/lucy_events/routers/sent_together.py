"""The router's workers record DocumentSent together: a worker hands its DocumentSent to
the saver and takes its next delivery; the saver stores all that were handed over since
its last save in one transaction.

Every save to the event store takes its table lock and commits (``store/postgres.py``),
so the eight workers finishing deliveries at once queued on each other's commits, and
each waited for its own: a quarter of a worker's time under load (docs/benchmarks.md,
Delivery, sessions 6 and 7). The saver is one thread: while it saves, what is handed
over waits for the next save, which takes it all. Each hand-over returns a future that
is done only once that document's DocumentSent is stored (or refused: its rule's error,
or the save's); the router's message is finished, and committed, only then
(``bus.pipelined.finish_later``).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.application import LucyApplication


@dataclass
class _Waiting:
    document: Document
    package: str
    reference: str
    stored: Future[None]


class SentTogether:
    def __init__(self, app: LucyApplication, by: Actor) -> None:
        self._app = app
        self._by = by
        self._changed = threading.Condition()
        self._waiting: list[_Waiting] = []
        self._saver: threading.Thread | None = None

    def record(self, document: Document, package: str, reference: str) -> None:
        """Record DocumentSent on ``document`` (as the caller loaded it) and wait until it
        is stored; raises the DomainError its rule raised (another router recorded it
        first), or whatever the save raised."""
        self.record_later(document, package, reference).result()

    def record_later(self, document: Document, package: str, reference: str) -> Future[None]:
        """Hand DocumentSent on ``document`` to the saver: the future is done when it is
        stored, or has the error it was refused with."""
        stored: Future[None] = Future()
        with self._changed:
            self._waiting.append(_Waiting(document, package, reference, stored))
            if self._saver is None:
                self._saver = threading.Thread(target=self._save_handed_over,
                                               name="sent-together", daemon=True)
                self._saver.start()
            self._changed.notify()
        return stored

    def _save_handed_over(self) -> None:
        while True:
            with self._changed:
                while not self._waiting:
                    self._changed.wait()
                batch, self._waiting = self._waiting, []
            self._save(batch)

    def _save(self, batch: list[_Waiting]) -> None:
        try:
            outcomes: list[BaseException | None] = list(self._app.record_sent_together(
                [(w.document, w.package, w.reference) for w in batch], self._by))
        except BaseException as error:  # an outage: each message rides it out alone
            outcomes = [error] * len(batch)
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                waiting.stored.set_result(None)
            else:
                waiting.stored.set_exception(outcome)
