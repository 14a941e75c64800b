"""The recognition worker's own cost: documents/s through the worker (read the blob, run
the pipeline, look for duplicates, record DocumentRecognised, keep the duplicate index)
against the raw pipeline on the same files in the same run, for UBL invoices and text
PDFs, on PostgreSQL (event store and read side in a scratch schema).

Usage: python bench/recognition_worker.py [--documents 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.pdf_samples import pdf_invoice
from tests.support import open_office
from tests.ubl_samples import ubl_invoice

from common import scratch_schema
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.logs import configure_logging
from lucy_events.recognition.duplicates import DuplicateIndex
from lucy_events.recognition.pipeline import recognise
from lucy_events.recognition.worker import RecognitionWorker, own_numbers
from lucy_events.sqldb import Database

CUSTOMER = "0202.239.951"
KINDS = {
    "ubl": lambda n: (ubl_invoice(number=f"U-{n}"), "application/xml"),
    "pdf-text": lambda n: (pdf_invoice(number=f"P-{n}", customer_vat="BE0202239951"),
                           "application/pdf"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    args = parser.parse_args()
    configure_logging("json", level="WARNING")
    for kind, make in KINDS.items():
        files = [make(n) for n in range(args.documents)]
        with scratch_schema("bench_rec") as url:  # each kind in a store of its own
            app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
            db = Database.from_url(url)
            try:
                raw, worker = measure(app, db, files)
            finally:
                db.close()
                app.close()
        print(f"{kind}: raw pipeline {args.documents / raw:.1f} docs/s, "
              f"through the worker {args.documents / worker:.1f} docs/s "
              f"(worker/raw {raw / worker:.2f})")


def measure(app: LucyApplication, db: Database,
            files: list[tuple[bytes, str]]) -> tuple[float, float]:
    office = open_office(app)
    clients = [office.new_client(enterprise_number=CUSTOMER) for _ in range(4)]
    numbers = own_numbers(app.client_for_operator(clients[0]).enterprise_number, None)
    started = time.perf_counter()
    for content, media_type in files:  # the baseline: the pipeline alone
        recognise(content, media_type, own_numbers=numbers)
    raw = time.perf_counter() - started
    for n, (content, media_type) in enumerate(files):
        app.receive_document(IncomingDocument(office.firm_id, clients[n % 4], content,
                                              f"document-{n}", media_type, "email"),
                             office.admin)
    worker = RecognitionWorker(app, DuplicateIndex(db), recognise)
    runtime = ConsumerRuntime(LogSource(app, db, worker.name, worker.topics,
                                        wakeup=threading.Event()),
                              worker, StoreDeadLetters(db), poll_timeout=0)
    started = time.perf_counter()
    while runtime.step():
        pass
    return raw, time.perf_counter() - started


if __name__ == "__main__":
    main()
