"""A replay's reading of the log in a child process (``bus.log_reader``): the same
batches as the log source reads in-process, the same rows after a rebuild, and a reader
that fails stops the replay saying why."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.faults import Fault, classify
from lucy_events.bus.log_reader import ProcessReadAhead, ReaderGone
from lucy_events.bus.log_source import LogSource
from lucy_events.config import persistence_env
from lucy_events.projections import PROJECTIONS
from lucy_events.projections.replay import rebuild
from lucy_events.sqldb import Database
from tests.support import open_office
from tests.unit.test_stored_events_fast_path import strictly

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(postgres_url: str) -> Iterator[LucyApplication]:
    app = LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore())
    office = open_office(app)
    app.create_team(office.firm_id, "Team Gent", office.admin)
    for n in range(4):
        client = office.new_client(name=f"Client {n}")
        sent = office.receive(client)
        office.receive(client, document_type=None)
        app.request_bulk_send(office.firm_id, [sent], office.admin)
        app.accept_invitation(app.invite_client(office.firm_id, client, office.admin))
    yield app
    app.close()


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    db = Database.from_url(postgres_url)
    yield db
    db.close()


@pytest.fixture
def through_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every batch read by the child, none in this process while it starts."""
    monkeypatch.setattr(ProcessReadAhead, "read_here_while_starting", False)


def source(app: LucyApplication, db: Database, name: str) -> LogSource:
    return LogSource(app, db, name, PROJECTIONS["dashboard"].topics, wakeup=threading.Event())


def test_the_child_reads_the_batches_the_log_source_reads(app, db, through_the_child):
    here = source(app, db, "here")
    there = ProcessReadAhead(source(app, db, "there"), max_records=7)
    batches = 0
    while True:
        expected, got = here.poll(7, 0), there.poll(7, 0)
        assert got.scanned == expected.scanned and got.undecodable == expected.undecodable
        assert [(d.position, d.payload, d.event_type) for d in got.deliveries] == [
            (d.position, d.payload, d.event_type) for d in expected.deliveries]
        assert [d.event for d in got.deliveries] == [d.event for d in expected.deliveries]
        assert [strictly(d.event) for d in got.deliveries] == [
            strictly(d.event) for d in expected.deliveries]
        batches += 1
        if not expected:
            break
    assert batches > 3 and there.source.cursor == here.cursor
    assert there._process is None  # it ended with the log


def test_a_rebuild_read_by_the_child_writes_the_rows_of_one_read_here(
        app, db, postgres_url, monkeypatch):
    def rows() -> dict[str, list[tuple[Any, ...]]]:
        with db.transaction() as tx:
            return {table.name: sorted(map(tuple, tx.execute(f"SELECT * FROM {table.name}")))
                    for name in ("dashboard", "documents") for table in PROJECTIONS[name].tables}

    for name in ("dashboard", "documents"):
        rebuild(db, app, name, batch_size=5)  # the child still starting: read here
    here = rows()
    assert all(here.values())
    monkeypatch.setattr(ProcessReadAhead, "read_here_while_starting", False)
    for name in ("dashboard", "documents"):
        assert rebuild(db, app, name, batch_size=5).events > 10
    assert rows() == here


def test_a_reader_that_cannot_open_the_store_stops_the_replay_saying_why(
        app, db, through_the_child):
    log = source(app, db, "broken")
    log.app = SimpleNamespace(  # type: ignore[assignment]
        env={"PERSISTENCE_MODULE": "no.such.module"}, person_keys=None, mapper=app.mapper)
    reader = ProcessReadAhead(log, max_records=10)
    with pytest.raises(ReaderGone, match=r"no\.such\.module") as failed:
        reader.poll(10, 0)
    assert reader._process is None
    assert classify(failed.value) is Fault.BUG  # the replay stops with it


def test_a_reader_that_cannot_reach_the_database_is_waited_out_as_an_outage(
        app, db, through_the_child):
    log = source(app, db, "unreachable")
    env = {**app.env, "POSTGRES_PORT": "1", "POSTGRES_CONNECT_TIMEOUT": "1"}
    log.app = SimpleNamespace(  # type: ignore[assignment]
        env=env, person_keys=None, mapper=app.mapper)
    reader = ProcessReadAhead(log, max_records=10)
    with pytest.raises(ReaderGone) as failed:
        reader.poll(10, 0)
    assert classify(failed.value) is Fault.OUTAGE
    log.app = app  # the database is back: the next poll reads from where it was
    assert reader.poll(10, 0).deliveries[0].position.offset == 1
    reader.stop()
