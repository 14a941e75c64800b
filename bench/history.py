"""Client history (the dashboard's History tab, the API's /clients/{id}/history) on
PostgreSQL: with the client's documents from the documents read model (what the web
uses) and by scanning the notification log (what the CLI's auditor history does), against
raw psycopg selecting the same client's and documents' stored events by id, same run.

The store holds --events events of --clients clients; the client asked about has 40
documents. With ``--part audit`` (or ``all``): the auditor's figures instead (history_s,
as_of_s, export_s, verify_s; see ``history_audit.py``), with personal fields sealed as
``bootstrap`` deploys them (each document's sender is opened on every read).
Usage: python bench/history.py [--part web|audit|all] [--events N] [--calls N]
       [--documents N] [--verify-events N]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from uuid import UUID

import structlog

sys.path.insert(0, os.path.dirname(__file__))
import history_audit
from common import POSTGRES_URL, bench_firm, connect_to, scratch_schema
from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.audit.person_keys import PersonKeys
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.log_source import LogSource
from lucy_events.config import persistence_env
from lucy_events.projections import DocumentsProjection, client_document_ids
from lucy_events.projections.invoice_queries import client_invoice_ids
from lucy_events.projections.invoices import InvoicesProjection
from lucy_events.sqldb import Database

SETUP = Actor.system("bench")


def seed(app: LucyApplication, events: int, clients: int) -> tuple[UUID, UUID]:
    firm_id, ids = bench_firm(app, clients)
    asked, n = ids[0], 0
    while app.recorder.max_notification_id() < events:
        batch = [IncomingDocument(
            firm_id, asked if (n + i) % 5000 == 0 else ids[1 + (n + i) % (clients - 1)],
            b"%PDF bench " + str(n + i).encode(), f"invoice-{n + i}.pdf", "application/pdf",
            "email", sender="ap@supplier.example", document_type="purchase-invoice")
            for i in range(1000)]
        app.receive_documents(batch, SETUP)
        n += len(batch)
    return firm_id, asked


def project(app: LucyApplication, url: str) -> Database:
    """The read models the web's history reads its ids from: documents and invoices."""
    db = Database.from_url(url)
    for projection in (DocumentsProjection(db), InvoicesProjection(db)):
        projection.ensure_tables()
        source = LogSource(app, db, projection.name, projection.topics)
        while batch := source.poll(5000, 0):
            projection.handle(batch.deliveries)
            source.commit(batch)
    return db


def timed(call, calls: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(calls):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--part", choices=("web", "audit", "all"), default="web")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--verify-events", type=int, default=1_000_000)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    if args.part in ("audit", "all"):
        audit_part(args.documents, args.verify_events)
    if args.part in ("web", "all"):
        web_part(args)


def audit_part(documents: int, verify_events: int) -> None:
    with scratch_schema("bench_audit") as url:
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore(),
                              person_keys=PersonKeys.at(url))
        firm_id, (client_id, _) = bench_firm(app, 2)
        history_audit.seed_client(app, firm_id, client_id, documents)
        db = project(app, url)
        raw = connect_to(url)
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        try:
            history_audit.run(app, db, raw, firm_id, client_id, verify_events, table)
        finally:
            raw.close()
            db.close()
            app.close()


def web_part(args: argparse.Namespace) -> None:
    with scratch_schema("bench_history") as url:
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
        firm_id, client_id = seed(app, args.events, args.clients)
        db = project(app, url)
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        raw = connect_to(url)

        def indexed() -> list:
            return app.client_history(firm_id, client_id, document_ids=client_document_ids(
                db, firm_id=firm_id, client_id=client_id),
                invoice_ids=client_invoice_ids(db, firm_id, client_id))

        def baseline() -> list:
            ids = [client_id, *client_document_ids(db, firm_id=firm_id, client_id=client_id)]
            return raw.execute(f"SELECT originator_id, originator_version, topic, state "
                               f"FROM {table} WHERE originator_id = ANY(%s) ORDER BY "
                               "originator_id, originator_version", (ids,)).fetchall()

        raw_ms, rows = timed(baseline, args.calls)
        web_ms, entries = timed(indexed, args.calls)
        scan_ms, scanned = timed(lambda: app.client_history(firm_id, client_id),
                                 max(1, args.calls // 10))
        assert entries == scanned and len(rows) == len(entries)  # type: ignore[arg-type]
        total = app.recorder.max_notification_id()
        raw.close()
        db.close()
        app.close()
    print(f"client history on PostgreSQL ({POSTGRES_URL}): {total} events in the store, "
          f"the client's history {len(entries)} entries; medians")  # type: ignore[arg-type]
    print(f"raw psycopg: the same events by id (baseline): {raw_ms:8.1f} ms")
    print(f"documents from the read model (web, API):      {web_ms:8.1f} ms")
    print(f"scanning the notification log (CLI):           {scan_ms:8.1f} ms")
    print(f"ratio: {raw_ms / web_ms:.2f}")


if __name__ == "__main__":
    main()
