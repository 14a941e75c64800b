"""The router's workers record DocumentSent together (``lucy_events.together``): whoever
comes while another worker's save is under way waits for it to end, and the next save
takes them all.

Every save to the event store takes its table lock and commits (``store/postgres.py``),
so the eight workers finishing deliveries at once queued on each other's commits: a
fifth of a worker's time under load (docs/benchmarks.md, Delivery, Session 6). A worker
that finds no save under way saves at once, alone; only workers that would have waited
anyway are grouped, so nothing waits longer than before for its own save, and a worker
returns only once its own DocumentSent is stored (the message is finished, and committed,
only then, as before).
"""

from __future__ import annotations

from collections.abc import Sequence

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.together import Together

#: A document as the worker loaded it, the package, the remote reference.
_Sent = tuple[Document, str, str]


class SentTogether:
    def __init__(self, app: LucyApplication, by: Actor) -> None:
        self._app = app
        self._by = by
        self._together: Together[_Sent, None] = Together(self._save)

    def record(self, document: Document, package: str, reference: str) -> None:
        """Record DocumentSent on ``document`` (as the caller loaded it); raises the
        DomainError its rule raised (another router recorded it first), or whatever the
        save raised."""
        self._together.do((document, package, reference))

    def _save(self, batch: list[_Sent]) -> Sequence[DomainError | None]:
        return self._app.record_sent_together(batch, self._by)
