"""The router's workers record DocumentSent together: whoever comes while another
worker's save is under way waits for it to end, and the next save takes them all.

Every save to the event store takes its table lock and commits (``store/postgres.py``),
so the eight workers finishing deliveries at once queued on each other's commits: a
fifth of a worker's time under load (docs/benchmarks.md, Delivery, Session 6). A worker
that finds no save under way saves at once, alone; only workers that would have waited
anyway are grouped, so nothing waits longer than before for its own save, and a worker
returns only once its own DocumentSent is stored (the message is finished, and committed,
only then, as before).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.application import LucyApplication


@dataclass
class _Waiting:
    document: Document
    package: str
    reference: str
    done: bool = False
    error: BaseException | None = field(default=None)


class SentTogether:
    def __init__(self, app: LucyApplication, by: Actor) -> None:
        self._app = app
        self._by = by
        self._changed = threading.Condition()
        self._waiting: list[_Waiting] = []
        self._saving = False

    def record(self, document: Document, package: str, reference: str) -> None:
        """Record DocumentSent on ``document`` (as the caller loaded it); raises the
        DomainError its rule raised (another router recorded it first), or whatever the
        save raised."""
        mine = _Waiting(document, package, reference)
        with self._changed:
            self._waiting.append(mine)
            while self._saving and not mine.done:
                self._changed.wait()
            if not mine.done:  # no save under way: this thread saves all that wait
                self._saving = True
                batch, self._waiting = self._waiting, []
        if not mine.done:
            self._save(batch)
        if mine.error is not None:
            raise mine.error

    def _save(self, batch: list[_Waiting]) -> None:
        try:
            outcomes: list[BaseException | None] = list(self._app.record_sent_together(
                [(w.document, w.package, w.reference) for w in batch], self._by))
        except BaseException as error:  # an outage: each worker rides it out alone
            outcomes = [error] * len(batch)
        finally:
            with self._changed:
                for waiting, outcome in zip(batch, outcomes, strict=True):
                    waiting.error = outcome
                    waiting.done = True
                self._saving = False
                self._changed.notify_all()

