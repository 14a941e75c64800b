"""``lucy-events retention run``: remove the files of documents past their retention
period (``aggregates.retention``), recording each on the document first.

A blob is content-addressed, so two documents (or a vault file) may share one: a blob is
removed only when every event that refers to it (any ``blob_ref`` in the store) belongs to
a document whose retention is over. The event is recorded before the blob is removed, so a
crash between leaves a recorded document whose blob a later run removes; never a missing
file nobody recorded. The run reads the whole notification log: a yearly or monthly job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
import structlog
from eventsourcing.utils import get_topic

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.retention import retention_ends

log = structlog.get_logger(__name__)
RETENTION = Actor.system("retention")
_RECEIVED = get_topic(Document.DocumentReceived)
_DISPOSED = get_topic(Document.DocumentContentDisposed)
_PAGE = 5000


@dataclass(frozen=True)
class RetentionOutcome:
    documents: int  # documents whose files went in this run
    blobs_removed: int
    blobs_kept: int  # past retention, but still referred to by something kept


@dataclass
class _Scan:
    received: dict[UUID, datetime]
    refs: dict[UUID, set[str]]
    disposed: set[UUID]


def _scan(app: Any) -> _Scan:
    scan = _Scan({}, {}, set())
    start = 1
    while page := app.recorder.select_notifications(start=start, limit=_PAGE):
        for n in page:
            if n.topic == _DISPOSED:
                scan.disposed.add(n.originator_id)
            elif b'"blob_ref"' in n.state or n.topic == _RECEIVED:
                state = orjson.loads(n.state)
                if isinstance(state.get("blob_ref"), str):
                    scan.refs.setdefault(n.originator_id, set()).add(state["blob_ref"])
                if n.topic == _RECEIVED:
                    scan.received[n.originator_id] = datetime.fromisoformat(
                        state["timestamp"]["_data_"])
        start = page[-1].id + 1
    return scan


def run_retention(app: Any, now: datetime) -> RetentionOutcome:
    scan = _scan(app)
    over = {d for d, at in scan.received.items() if retention_ends(at) <= now}
    kept = {ref for owner, refs in scan.refs.items() if owner not in over for ref in refs}
    documents = removed = held = 0
    for document_id in sorted(over, key=scan.received.__getitem__):
        if document_id not in scan.disposed:
            app.dispose_document_content(document_id, now, RETENTION)
            documents += 1
        for ref in scan.refs.get(document_id, ()):
            if ref in kept:
                held += 1
            elif app.blobs.remove(ref):
                removed += 1
    log.info("retention_run", documents=documents, blobs_removed=removed, blobs_kept=held)
    return RetentionOutcome(documents, removed, held)
