"""The documents read model shows what recognition read, corrections and duplicates;
an older table gains the new columns, and a replay fills them. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication, ReadValues, Suspicion
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.projections import DocumentsProjection, get_document_row, rebuild
from lucy_events.projections.documents import DOCUMENTS
from lucy_events.sqldb import Database
from tests.integration.test_consumer_runtime import drain
from tests.support import Office, open_office

READER = Actor.system("recognition")
READ = ReadValues(method="ubl", confidence=1.0, document_type="purchase-invoice", fields={
    "supplier_name": "Brouwerij Het Anker", "supplier_vat": "BE0403170701",
    "invoice_number": "F2026-118", "issue_date": "2026-11-03", "total_incl_vat": "121.00",
    "currency": "EUR"})
NEW_COLUMNS = ("supplier_name", "supplier_vat", "invoice_number", "issue_date",
               "total_incl_vat", "currency", "recognition_method", "recognition_confidence",
               "corrected", "type_source", "duplicate_of", "duplicates")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/lucy.sqlite"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(database_url: str, clock: Any) -> Iterator[tuple[LucyApplication, Database, Office]]:
    app = LucyApplication(persistence_env(database_url), blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(database_url)
    yield app, db, open_office(app)
    db.close()
    app.close()


def project(app: LucyApplication, db: Database) -> None:
    projection = DocumentsProjection(db)
    drain(ConsumerRuntime(LogSource(app, db, projection.name, projection.topics,
                                    wakeup=threading.Event()),
                          projection, StoreDeadLetters(db), poll_timeout=0), idle_polls=1)


def test_the_list_row_shows_the_fields_how_they_were_read_and_corrections(store):
    app, db, office = store
    client_id = office.new_client()
    document_id = office.receive(client_id, None)
    app.record_recognition(document_id, READ, READER)
    app.correct_document_fields(office.firm_id, document_id, {"invoice_number": "F2026-119"},
                                None, office.accountant)
    app.record_recognition(document_id, READ, READER, again=True)  # read again: still corrected
    project(app, db)
    row = get_document_row(db, firm_id=office.firm_id, document_id=document_id)
    assert (row.supplier_name, row.invoice_number, row.issue_date, row.total_incl_vat,
            row.currency) == ("Brouwerij Het Anker", "F2026-119", "2026-11-03", "121.00", "EUR")
    assert row.recognition_method == "ubl" and row.recognition_confidence == 1.0
    assert row.document_type == "purchase-invoice" and row.corrected == "invoice_number"
    assert not row.possible_duplicate


def test_both_rows_of_a_suspected_pair_are_flagged_until_dismissed(store):
    app, db, office = store
    client_id = office.new_client()
    first = office.receive(client_id, None, b"%PDF-1.4 one")
    second = office.receive(client_id, None, b"%PDF-1.4 two")
    app.record_recognition(second, READ, READER, [Suspicion(first, "same-supplier-and-number")])
    project(app, db)
    rows = [get_document_row(db, firm_id=office.firm_id, document_id=d) for d in (first, second)]
    assert [(r.duplicate_of, r.possible_duplicate) for r in rows] == [
        (str(second), True), (str(first), True)]
    app.dismiss_duplicates(office.firm_id, second, office.accountant)
    project(app, db)
    rows = [get_document_row(db, firm_id=office.firm_id, document_id=d) for d in (first, second)]
    assert [(r.duplicate_of, r.possible_duplicate) for r in rows] == [(None, False)] * 2


def test_an_older_table_gains_the_new_columns_and_a_replay_fills_them(store):
    app, db, office = store
    document_id = office.receive(office.new_client(), None)
    app.record_recognition(document_id, READ, READER)
    project(app, db)
    with db.transaction() as tx:  # the table as the version before recognition made it
        for column in NEW_COLUMNS:
            tx.execute(f"ALTER TABLE {DOCUMENTS.name} DROP COLUMN {column}")
    DocumentsProjection(db).ensure_tables()  # a new version starts (Services does this)
    row = get_document_row(db, firm_id=office.firm_id, document_id=document_id)
    assert row is not None and row.supplier_name is None
    rebuild(db, app, "documents")
    row = get_document_row(db, firm_id=office.firm_id, document_id=document_id)
    assert row.supplier_name == "Brouwerij Het Anker" and row.recognition_method == "ubl"
