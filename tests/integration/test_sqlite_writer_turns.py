"""Writers of the SQLite event store in several processes take turns on a file lock beside
the database (``<db>.write.lock``) rather than on SQLite's sleep-and-retry busy handler;
their events all land, on one unbroken hash chain."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.audit.verify import chained, verify
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from tests.support import open_office


def sqlite_app(path: Path) -> LucyApplication:
    return LucyApplication(persistence_env(f"sqlite:///{path}"), blobs=InMemoryBlobStore())


def test_a_save_waits_while_another_process_holds_the_writer_lock(tmp_path: Path):
    app = sqlite_app(tmp_path / "events.sqlite")
    office = open_office(app)
    client_id = office.new_client()
    # Another open file description: to flock, as good as another process.
    held = os.open(tmp_path / "events.sqlite.write.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    saved = threading.Event()
    saving = threading.Thread(target=lambda: (office.receive(client_id), saved.set()))
    saving.start()
    try:
        assert not saved.wait(0.5)
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        os.close(held)
    assert saved.wait(10)
    saving.join()
    app.close()


def _receive_documents(path: Path, firm_id: UUID, client_id: UUID, count: int) -> None:
    app = sqlite_app(path)
    for n in range(count):
        app.receive_document(IncomingDocument(
            firm_id, client_id, f"%PDF-1.4 {os.getpid()} {n}".encode(), "invoice.pdf",
            "application/pdf", "upload"), Actor.system("test"))
    app.close()


def test_writers_in_several_processes_all_land_on_one_unbroken_chain(tmp_path: Path):
    path = tmp_path / "events.sqlite"
    app = sqlite_app(path)
    office = open_office(app)
    client_id = office.new_client()
    head = app.recorder.max_notification_id() or 0
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_receive_documents,
                               args=(path, office.firm_id, client_id, 25))
               for _ in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    assert (app.recorder.max_notification_id() or 0) == head + 75
    verdict = verify(chained(app.recorder))
    assert verdict.broken is None and verdict.checked == head + 75
    app.close()
