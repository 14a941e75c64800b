"""Work done together by the threads that would have queued for it.

Every save to the event store takes its table lock and commits (an fsync on SQLite): when
several threads finish at once, each queued on the others' commits. Here a thread that
finds no batch under way runs its item at once, alone; threads that come while a batch
is under way wait for it to end, and the next batch takes them all. So nothing waits
longer than it would have for its own turn, and each thread returns only once its own
item is done: its result, or the error that failed it.

Used by the router's workers for DocumentSent (``routers/sent_together.py``) and by the
SMTP intake for the mails its connections finish at once (``intake/mail_intake.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: A batch: per item, in order, its result or the error that failed it. An error it
#: raises is every item's (an outage).
Batch = Callable[[list[T]], Sequence["R | BaseException"]]


@dataclass
class _Waiting(Generic[T, R]):
    item: T
    done: bool = False
    outcome: R | BaseException | None = None


class Together(Generic[T, R]):
    def __init__(self, run: Batch[T, R]) -> None:
        self._run = run
        self._changed = threading.Condition()
        self._waiting: list[_Waiting[T, R]] = []
        self._running = False

    def do(self, item: T) -> R:
        """``item`` done, alone or with those that came meanwhile: its result; raises
        its error."""
        mine: _Waiting[T, R] = _Waiting(item)
        with self._changed:
            self._waiting.append(mine)
            while self._running and not mine.done:
                self._changed.wait()
            if not mine.done:  # no batch under way: this thread runs all that wait
                self._running = True
                batch, self._waiting = self._waiting, []
        if not mine.done:
            self._batch(batch)
        if isinstance(mine.outcome, BaseException):
            raise mine.outcome
        return mine.outcome  # type: ignore[return-value]  # done: R, not the None before

    def _batch(self, batch: list[_Waiting[T, R]]) -> None:
        outcomes: Sequence[R | BaseException]
        try:
            outcomes = self._run([w.item for w in batch])
        except BaseException as error:  # e.g. an outage: every item of the batch failed
            outcomes = [error] * len(batch)
        with self._changed:
            for waiting, outcome in zip(batch, outcomes, strict=True):
                waiting.outcome = outcome
                waiting.done = True
            self._running = False
            self._changed.notify_all()
