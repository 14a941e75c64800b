"""The auditor's figures on PostgreSQL (run by ``bench/history.py --part audit``):

- history_s: the history of a client with --documents documents (5 events each: received,
  type corrected, send requested, sent, archived; about 50,000 events for 10,000), its
  documents from the documents read model, as the API and the dashboard read it;
- as_of_s: the client and every document as they stood halfway, replayed from the events;
- export_s: the full history exported as CSV and as the printable HTML page (each timed;
  the slower is printed), chain head included;
- verify_s: ``audit verify`` over --verify-events stored events (the client's events, then
  copies of their stored bytes under fresh ids, inserted straight through the recorder in
  batches of 10,000, each batch chained by the store as it is written).

Each read is timed three times and the best is the figure (the first call is printed
too). Raw baselines in the same run: one SELECT of the same stored events by id (history), and
sha256 over the same bytes in Python without the store (verify).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.audit.export import export, heading
from lucy_events.audit.verify import chained, head_of, verify
from lucy_events.projections import client_document_ids
from lucy_events.projections.invoice_queries import client_invoice_ids

SETUP = Actor.system("bench")
_BATCH = 500


def seed_client(app: LucyApplication, firm_id: UUID, client_id: UUID, documents: int) -> None:
    for start in range(0, documents, _BATCH):
        batch = []
        for n in range(start, min(documents, start + _BATCH)):
            document = app._new_document(IncomingDocument(
                firm_id, client_id, b"%PDF audit bench " + str(n).encode(),
                f"invoice-{n}.pdf", "application/pdf", "email",
                sender="ap@supplier.example", document_type="purchase-invoice"), SETUP)
            document.assign_type("purchase-credit-note", SETUP)
            document.request_send(SETUP)
            document.record_sent("octopus", f"ref-{n}", SETUP)
            document.archive(SETUP)
            batch.append(document)
        app.save(*batch)


def fill_to(app: LucyApplication, total: int) -> None:
    """Copies of the stored events' bytes under fresh aggregate ids, up to ``total``."""
    sample = [n for n in app.recorder.select_notifications(start=1, limit=10_000)]
    n = 0
    while (head := app.recorder.max_notification_id() or 0) < total:
        batch = []
        for _ in range(min(10_000, total - head)):
            source = sample[n % len(sample)]
            n += 1
            batch.append(StoredEvent(originator_id=uuid4(), originator_version=1,
                                     topic=source.topic, state=source.state))
        app.recorder.insert_events(batch)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    took, _, result = timed_cpu(call)
    return took, result


def timed_cpu(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall, CPU seconds of this process, result)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - started, time.process_time() - cpu, result


#: Each auditor read is timed this many times; the best is the figure (as ``timeit``
#: does: on a shared, loaded machine the slower calls measure the other processes), and
#: the first (cold) call is printed beside it.
ROUNDS = 3


def best_of(call: Callable[[], Any]) -> tuple[float, float, float, Any]:
    """(best, first, CPU seconds of the best call, result) over ``ROUNDS`` calls. On a
    loaded machine the wall clock mostly measures the other processes; this process's
    own CPU time compares runs better."""
    samples, result = [], None
    for _ in range(ROUNDS):
        took, cpu, result = timed_cpu(call)
        samples.append((took, cpu))
    best, cpu = min(samples)
    return best, samples[0][0], cpu, result


def run(app: LucyApplication, db: Any, raw: Any, firm_id: UUID, client_id: UUID,
        verify_events: int, table: str) -> None:
    def ids() -> list[UUID]:
        return list(client_document_ids(db, firm_id=firm_id, client_id=client_id))

    def invoices() -> list[UUID]:  # as the web does (API, History tab): the read model
        return client_invoice_ids(db, firm_id, client_id)

    raw_s, _, raw_cpu, rows = best_of(lambda: raw.execute(
        f"SELECT originator_id, originator_version, topic, state FROM {table} "
        "WHERE originator_id = ANY(%s)", ([client_id, *ids()],)).fetchall())
    history_s, history_first, history_cpu, entries = best_of(lambda: app.client_history(
        firm_id, client_id, document_ids=ids(), invoice_ids=invoices()))
    assert len(entries) == len(rows), (len(entries), len(rows))
    halfway = entries[len(entries) // 2].at
    as_of_s, as_of_first, as_of_cpu, state = best_of(lambda: app.client_as_of(
        firm_id, client_id, halfway, document_ids=ids()))
    exports: dict[str, float] = {}
    firsts: dict[str, float] = {}

    def exported(fmt: str) -> str:
        return export(fmt, heading(client_id, "bench", None, None, head_of(app.recorder)),
                      app.client_history(firm_id, client_id, document_ids=ids(),
                                         invoice_ids=invoices()))

    for fmt in ("csv", "html"):
        exports[fmt], firsts[fmt], _, text = best_of(functools.partial(exported, fmt))
        assert str(head_of(app.recorder)) in text
    export_s = max(exports.values())
    fill_started = time.perf_counter()
    fill_to(app, verify_events)
    fill_s = time.perf_counter() - fill_started
    verify_s, verdict = timed(lambda: verify(chained(app.recorder)))
    assert verdict.broken is None and verdict.checked == verify_events, verdict
    states = [r.state for r in chained(app.recorder).chain_events(0, 100_000)]
    hash_s, _ = timed(lambda: [hashlib.sha256(s).digest() for s in states])
    documents = len(ids())
    print(f"auditor figures on PostgreSQL: a client with {documents} documents, "
          f"{len(entries)} history entries; {verdict.checked} events verified "
          f"(filled in {fill_s:.0f} s)")
    print(f"raw SELECT of the same stored events by id (baseline): {raw_s:6.2f} s "
          f"({raw_cpu:.2f} s CPU)")
    print(f"each read: the best of {ROUNDS} calls (the first call in brackets)")
    print(f"history_s {history_s:.2f}   (target <= 1.0; first {history_first:.2f}; "
          f"{history_cpu:.2f} s CPU)")
    print(f"as_of_s   {as_of_s:.2f}   (target <= 1.0; {len(state.documents)} documents "
          f"then; first {as_of_first:.2f}; {as_of_cpu:.2f} s CPU)")
    print(f"export_s  {export_s:.2f}   (target <= 5.0; csv {exports['csv']:.2f}, "
          f"html {exports['html']:.2f}; first csv {firsts['csv']:.2f}, "
          f"html {firsts['html']:.2f})")
    print(f"verify_s  {verify_s:.2f}   (target <= 30.0; sha256 alone over 100,000 states: "
          f"{hash_s:.2f} s)")
