"""Write path: "receive a document" commands/s through the application on PostgreSQL
with the production blob store (filesystem, fsync), against raw psycopg inserting the
same rows after writing the same blobs the same way (hash, write beside, fsync, rename),
one transaction per command, same run. The ratio is that pair's; the pair without blobs
is shown beside it.

Also prints the batched intake path (many documents per transaction).
Usage: python bench/write_path.py [--commands N] [--batch-documents N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(__file__))
from common import POSTGRES_URL, connect_to, rate, scratch_schema, write_blob
from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import FilesystemBlobStore, InMemoryBlobStore
from lucy_events.config import persistence_env

INTAKE = Actor.system("bench")
CLIENT = {
    "name": "Bench BV", "country": "BE", "enterprise_number": "0403170701",
    "address": {"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent", "country": "BE"},
    "contact_person": {"first_name": "A", "last_name": "B", "email": "a@bench.example"},
}
RAW_TABLE = """CREATE TABLE raw_events (
    originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text,
    state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"""


def make_app(url: str, blobs) -> tuple[LucyApplication, uuid.UUID, uuid.UUID]:
    app = LucyApplication(persistence_env(url), blobs=blobs)
    firm_id = app.register_firm("Bench Firm", INTAKE)
    client_id = app.create_client(firm_id, INTAKE, **CLIENT)
    return app, firm_id, client_id


def incoming(firm_id: uuid.UUID, client_id: uuid.UUID, n: int) -> IncomingDocument:
    content = b"%PDF-1.4 bench invoice " + str(n).encode()
    return IncomingDocument(firm_id, client_id, content, f"invoice-{n}.pdf",
                            "application/pdf", "email", sender="ap@supplier.example",
                            document_type="purchase-invoice")


class AppRun:
    """The application receiving documents, one command (one transaction) each."""

    def __init__(self, url: str, blobs) -> None:
        self.app, self.firm_id, self.client_id = make_app(url, blobs)
        self.sequence = 0

    def __call__(self, count: int) -> float:
        docs = [incoming(self.firm_id, self.client_id, self.sequence + n) for n in range(count)]
        self.sequence += count

        def run() -> None:
            for doc in docs:
                self.app.receive_document(doc, INTAKE)

        return rate(count, run)


class RawRun:
    """The same rows the application writes, inserted with psycopg directly; with
    ``blob_dir``, each after writing the command's blob as the filesystem store does."""

    def __init__(self, url: str, blob_dir: str | None = None) -> None:
        self.blob_dir = blob_dir
        self.sequence = 0
        app, firm_id, client_id = make_app(url, InMemoryBlobStore())
        document_id = app.receive_document(incoming(firm_id, client_id, 0), INTAKE)
        self.stored = app.mapper.to_stored_event(next(iter(app.events.get(document_id))))
        app.close()
        self.conn = connect_to(url, autocommit=False)
        self.conn.execute(RAW_TABLE)
        self.conn.commit()

    def __call__(self, count: int) -> float:
        insert = ("INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                  "VALUES (%s, %s, %s, %s)")
        rows = [(uuid.uuid4(), 1, self.stored.topic, self.stored.state) for _ in range(count)]
        contents = [b"%PDF-1.4 bench invoice " + str(self.sequence + n).encode()
                    for n in range(count)]
        self.sequence += count
        blob_dir = self.blob_dir

        def run() -> None:
            for row, content in zip(rows, contents, strict=True):
                if blob_dir is not None:
                    write_blob(blob_dir, content)
                with self.conn.transaction():
                    self.conn.execute(insert, row, prepare=True)

        return rate(count, run)


def interleaved(
    runs: dict[str, Callable[[int], float]], count: int, rounds: int
) -> dict[str, float]:
    """Median rate of each run over rounds taken in turn, so that load on the machine
    during the run weighs on all of them alike."""
    for run in runs.values():
        run(200)  # warm-up: connections, prepared statements
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            samples[name].append(run(count // rounds))
    return {name: statistics.median(values) for name, values in samples.items()}


def batched_rate(url: str, documents: int, batch: int) -> float:
    app, firm_id, client_id = make_app(url, InMemoryBlobStore())
    docs = [incoming(firm_id, client_id, n) for n in range(documents)]
    app.receive_documents(docs[:batch], INTAKE)

    def run() -> None:
        for start in range(0, documents, batch):
            app.receive_documents(docs[start:start + batch], INTAKE)

    result = rate(documents, run)
    app.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--batch-documents", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"write path on PostgreSQL ({POSTGRES_URL}): {args.commands} commands per path, "
          f"in {args.rounds} interleaved rounds (median)")
    with scratch_schema("bench_raw") as raw_url, scratch_schema("bench_app") as app_url, \
            scratch_schema("bench_fs") as fs_url, scratch_schema("bench_rawfs") as raw_fs_url, \
            tempfile.TemporaryDirectory() as blob_dir, \
            tempfile.TemporaryDirectory() as raw_blob_dir:
        rates = interleaved({
            "raw": RawRun(raw_url),
            "app": AppRun(app_url, InMemoryBlobStore()),
            "raw files": RawRun(raw_fs_url, raw_blob_dir),
            "files": AppRun(fs_url, FilesystemBlobStore(blob_dir)),
        }, args.commands, args.rounds)
    raw, app = rates["raw"], rates["app"]
    raw_files, with_files = rates["raw files"], rates["files"]
    with scratch_schema("bench_batch") as url:
        batched = batched_rate(url, args.batch_documents, args.batch_size)
    print(f"raw psycopg inserts (1 tx/command), no blob:          {raw:10.0f} commands/s")
    print(f"application receive_document, in-memory blobs:       {app:10.0f} commands/s"
          f"  ({app / raw:.2f} of raw; not the ratio)")
    print(f"raw: the blob written and fsynced, then the insert:  {raw_files:10.0f} commands/s")
    print(f"application receive_document, filesystem blobs:      {with_files:10.0f} commands/s")
    print(f"batched intake ({args.batch_size} documents/tx):                   "
          f"{batched:10.0f} documents/s")
    print("ratio (both with fsynced filesystem blobs):")
    print(f"ratio: {with_files / raw_files:.2f}")


if __name__ == "__main__":
    main()
