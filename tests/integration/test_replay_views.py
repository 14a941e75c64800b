# ruff: noqa: F811 - the fixtures of test_projections, imported, are parameters here
"""A rebuild that folds the stored events' views (``bus.stored_views``) writes the rows,
positions and dead letters of one that folds BusEvents, the live way; batches it cannot
fold so (an event only the mapper reads, an event refused) go the live way whole.

Runs on SQLite and PostgreSQL (the ``world`` of ``test_projections``)."""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.projections import PROJECTIONS, rebuild
from lucy_events.projections.base import Projection
from tests.integration.test_projections import (  # noqa: F401 - fixtures
    LIVE_TABLES,
    _documents_activity,
    database_url,
    portfolio,
    world,
)
from tests.samples import sample_event


@pytest.fixture
def folded(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The notification ids of each batch folded as views (not those the live way took)."""
    batches: list[list[int]] = []
    handle_views = Projection.handle_views

    def counting(self: Projection, views: Any, first: Any, last: Any) -> bool:
        done = handle_views(self, views, first, last)
        if done:
            batches.append([view.notification_id for view in views])
        return done

    monkeypatch.setattr(Projection, "handle_views", counting)
    return batches


def store_edited(world: Any, event_type: str, **changes: Any) -> None:
    """A stored event of a new aggregate of the world's firm, its JSON edited (None drops)."""
    domain_event = sample_event(event_type)
    vars(domain_event)["firm_id"] = world.firm_id
    event = world.app.mapper.to_stored_event(domain_event)
    state = orjson.loads(event.state)
    for name, value in changes.items():
        if value is None:
            state.pop(name, None)
        else:
            state[name] = value
    world.app.recorder.insert_events([StoredEvent(
        originator_id=uuid4(), originator_version=1, topic=event.topic,
        state=orjson.dumps(state))])


def rebuilt(world: Any, name: str, *, fold_views: bool, **sizes: int) -> dict[str, Any]:
    result = rebuild(world.db, world.app, name, fold_views=fold_views, **sizes)
    assert result.events > 10
    with world.db.transaction() as tx:
        positions = tx.execute("SELECT * FROM lucy_positions WHERE consumer LIKE :name "
                               "ORDER BY 1, 2, 3", {"name": f"{name}%"})
    parked = [(letter["topic"], letter["position"], letter["error"]) for letter in
              StoreDeadLetters(world.db).parked(consumer=f"{name}:rebuild")]
    tables = [table.name for table in PROJECTIONS[name].tables]
    return {"rows": world.read.dump(*tables), "positions": positions, "parked": parked}


@pytest.mark.parametrize("sizes", [{}, {"batch_size": 4, "span_rows": 3}])
def test_a_rebuild_folding_views_writes_what_one_folding_bus_events_writes(
        world, portfolio, folded, sizes):
    _documents_activity(world, portfolio["claes"])
    _documents_activity(world, portfolio["anker"])
    world.app.rename_team(world.firm_id, world.app.create_team(
        world.firm_id, "Team Oost", world.office.admin), "Team Oost-Vlaanderen",
        world.office.admin)
    world.read.catch_up()
    live = world.read.dump(*LIVE_TABLES)
    for name in ("dashboard", "documents"):
        the_live_way = rebuilt(world, name, fold_views=False, **sizes)
        assert not folded
        assert rebuilt(world, name, fold_views=True, **sizes) == the_live_way
        assert sum(map(len, folded)) > 10
        folded.clear()
    assert world.read.dump(*LIVE_TABLES) == live


def test_a_batch_with_an_event_only_the_mapper_reads_goes_the_live_way_whole(
        world, portfolio, folded):
    store_edited(world, "PeppolEnabled", send=None, receive=None, class_version=None)
    old = world.app.recorder.max_notification_id()
    _documents_activity(world, portfolio["claes"])
    the_live_way = rebuilt(world, "dashboard", fold_views=False, batch_size=5)
    assert rebuilt(world, "dashboard", fold_views=True, batch_size=5) == the_live_way
    assert folded and all(len(batch) == 5 for batch in folded[:-1])
    assert not any(old in batch for batch in folded)


def test_an_event_refused_in_a_batch_of_views_is_parked_and_the_rest_of_its_batch_kept(
        world, portfolio, folded):
    _documents_activity(world, portfolio["claes"])
    store_edited(world, "DocumentReceived", client_id=None)  # the dashboard refuses it
    _documents_activity(world, portfolio["anker"])
    world.read.catch_up()
    live = world.read.dump(*LIVE_TABLES)
    with_views = rebuilt(world, "dashboard", fold_views=True, batch_size=6)  # parks it first
    [(_, position, error)] = with_views["parked"]
    assert "names no client" in error
    assert folded and not any(position in batch for batch in folded)
    the_live_way = rebuilt(world, "dashboard", fold_views=False, batch_size=6)
    assert with_views == the_live_way
    assert with_views["rows"] == {t: rows for t, rows in live.items() if t in with_views["rows"]}


def test_a_read_of_the_log_failing_on_an_outage_is_waited_out_and_nothing_is_lost(
        world, portfolio, monkeypatch):
    _documents_activity(world, portfolio["claes"])
    the_live_way = rebuilt(world, "dashboard", fold_views=False, batch_size=4)
    read_rows, failures = LogSource.read_rows, []

    def failing_once(self: LogSource, max_records: int) -> Any:
        if self.cursor > 8 and not failures:
            failures.append(self.cursor)
            raise sqlite3.OperationalError("database is locked")
        return read_rows(self, max_records)

    monkeypatch.setattr(LogSource, "read_rows", failing_once)
    assert rebuilt(world, "dashboard", fold_views=True, batch_size=4) == the_live_way
    assert failures


def _rebuilds_park_it_as_the_live_way(world, folded):
    """Each read model's rebuild folding views parks the one bad event, in a batch it
    hands the live way (never folded as views), and ends as a rebuild folding BusEvents."""
    for name in ("dashboard", "documents"):
        with_views = rebuilt(world, name, fold_views=True, batch_size=6)
        [(_, position, _)] = with_views["parked"]
        assert folded and not any(position in batch for batch in folded)
        assert with_views == rebuilt(world, name, fold_views=False, batch_size=6)
        folded.clear()


@pytest.mark.parametrize("time", ["2026-13-45T25:61:61.000000+00:00", "yesterday", 17])
def test_an_event_whose_stored_time_is_no_time_is_parked_as_the_live_way_parks_it(
        world, portfolio, folded, time):
    _documents_activity(world, portfolio["claes"])
    store_edited(world, "DocumentReceived", client_id={
        "_type_": "uuid_hex", "_data_": portfolio["claes"].hex},
        timestamp={"_type_": "datetime_iso", "_data_": time})
    _documents_activity(world, portfolio["anker"])
    _rebuilds_park_it_as_the_live_way(world, folded)


@pytest.mark.parametrize("field", ["firm_id", "client_id"])
def test_an_event_whose_stored_id_is_no_id_is_parked_as_the_live_way_parks_it(
        world, portfolio, folded, field):
    _documents_activity(world, portfolio["claes"])
    ids = {"firm_id": world.firm_id.hex, "client_id": portfolio["claes"].hex}
    ids[field] = "not-a-uuid-" + ids[field][11:]
    store_edited(world, "DocumentReceived", **{
        name: {"_type_": "uuid_hex", "_data_": value} for name, value in ids.items()})
    _documents_activity(world, portfolio["anker"])
    _rebuilds_park_it_as_the_live_way(world, folded)
