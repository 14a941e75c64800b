"""The hash chain over the stored events, on each store that keeps one: verify passes on
an untouched store and finds the first broken link when an event is altered, deleted or
inserted directly in the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from lucy_events.application import LucyApplication
from lucy_events.audit.links import GENESIS, Checkpoint, link
from lucy_events.audit.verify import chained, checkpoint, verify
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from tests.support import open_office

Execute = Callable[[str, tuple[Any, ...]], None]


class ChainContract:
    """Subclasses give ``app`` (a store with a few events) and ``sql`` (raw SQL on it)."""

    @pytest.fixture
    def app(self) -> LucyApplication:
        raise NotImplementedError

    @pytest.fixture
    def sql(self, app) -> Execute:
        raise NotImplementedError

    @pytest.fixture
    def table(self, app) -> str:
        return str(app.recorder.events_table_name)

    @pytest.fixture
    def seeded(self, app) -> LucyApplication:
        office = open_office(app)
        client_id = office.new_client()
        for _ in range(3):
            office.receive(client_id)
        return app

    def test_an_untouched_store_verifies_and_its_head_is_the_last_event(self, seeded):
        verdict = verify(chained(seeded.recorder))
        assert verdict.broken is None
        assert verdict.checked == seeded.recorder.max_notification_id()
        assert verdict.head == chained(seeded.recorder).chain_head()

    def test_an_altered_event_is_the_first_broken_link(self, seeded, sql, table):
        sql(self.alter(table), (5,))
        broken = verify(chained(seeded.recorder)).broken
        assert broken is not None and broken.position == 5
        assert "changed" in broken.problem and broken.originator_id is not None

    def test_a_deleted_event_is_the_first_broken_link(self, seeded, sql, table):
        sql(self.delete(table), (4,))
        broken = verify(chained(seeded.recorder)).broken
        assert broken is not None and broken.position == 4 and "deleted" in broken.problem

    def test_the_last_event_deleted_is_found_too(self, seeded, sql, table):
        last = seeded.recorder.max_notification_id()
        sql(self.delete(table), (last,))
        broken = verify(chained(seeded.recorder)).broken
        assert broken is not None and broken.position == last

    def test_an_event_inserted_behind_the_stores_back_is_found(self, seeded, sql, table):
        sql(self.copy_as_new_version(table), ())
        broken = verify(chained(seeded.recorder)).broken
        assert broken is not None and "not in the chain" in broken.problem
        assert broken.position == seeded.recorder.max_notification_id()

    def test_a_chain_recomputed_after_a_change_shows_against_a_checkpoint(self, seeded, sql,
                                                                          table):
        recorder = chained(seeded.recorder)
        kept = checkpoint(recorder)
        assert kept is not None
        sql(self.alter(table), (2,))
        previous = GENESIS
        for row in recorder.chain_events(0, 1000):  # the forger recomputes every link
            previous = link(previous, row.notification_id, row.originator_id, row.version,
                            row.topic, row.state)
            sql(self.set_link(table), (previous, row.notification_id))
        broken = verify(recorder).broken
        assert broken is not None and broken.position == kept.position
        assert "rewritten since a checkpoint" in broken.problem

    def test_a_checkpoint_kept_elsewhere_catches_a_rewrite_the_store_hides(self, seeded, sql,
                                                                          table):
        recorder = chained(seeded.recorder)
        kept = recorder.chain_head()
        assert kept is not None
        sql(self.alter(table), (2,))
        previous = GENESIS
        for row in recorder.chain_events(0, 1000):
            previous = link(previous, row.notification_id, row.originator_id, row.version,
                            row.topic, row.state)
            sql(self.set_link(table), (previous, row.notification_id))
        assert verify(recorder).broken is None  # nothing recorded in the store to compare
        broken = verify(recorder, kept=[kept]).broken
        assert broken is not None and broken.position == kept.position

    def test_verifying_from_a_checkpoint_checks_only_what_came_after(self, seeded):
        recorder = chained(seeded.recorder)
        kept = checkpoint(recorder)
        open_office(seeded)  # more events after the checkpoint
        verdict = verify(recorder, start=kept)
        assert verdict.broken is None
        assert verdict.checked == seeded.recorder.max_notification_id() - kept.position

    def test_a_checkpoint_prints_as_position_and_hash_and_parses_back(self, seeded):
        kept = checkpoint(chained(seeded.recorder))
        assert Checkpoint.parse(str(kept)) == kept

    def test_new_events_after_a_break_keep_chaining_on_the_stored_head(self, seeded, sql, table):
        sql(self.alter(table), (3,))
        open_office(seeded)
        broken = verify(chained(seeded.recorder)).broken
        assert broken is not None and broken.position == 3

    # the raw SQL each backend needs
    def alter(self, table: str) -> str:
        raise NotImplementedError

    def delete(self, table: str) -> str:
        raise NotImplementedError

    def copy_as_new_version(self, table: str) -> str:
        raise NotImplementedError

    def set_link(self, table: str) -> str:
        raise NotImplementedError


class TestSQLiteChain(ChainContract):
    @pytest.fixture
    def path(self, tmp_path) -> str:
        return f"{tmp_path}/events.sqlite"

    @pytest.fixture
    def app(self, path) -> Iterator[LucyApplication]:
        app = LucyApplication(persistence_env(f"sqlite:///{path}"), blobs=InMemoryBlobStore())
        yield app
        app.close()

    @pytest.fixture
    def sql(self, path) -> Execute:
        def run(statement: str, params: tuple[Any, ...]) -> None:
            with sqlite3.connect(path) as conn:
                conn.execute(statement, params)
        return run

    def alter(self, table: str) -> str:
        return f"UPDATE {table} SET state = CAST(replace(CAST(state AS TEXT), 'a', 'b') " \
               "AS BLOB) WHERE rowid = ?"

    def delete(self, table: str) -> str:
        return f"DELETE FROM {table} WHERE rowid = ?"

    def copy_as_new_version(self, table: str) -> str:
        return (f"INSERT INTO {table} SELECT originator_id, originator_version + 100, topic, "
                f"state FROM {table} WHERE rowid = 1")

    def set_link(self, table: str) -> str:
        return f"UPDATE {table}_chain SET hash = ? WHERE notification_id = ?"


@pytest.mark.postgres
class TestPostgreSQLChain(ChainContract):
    @pytest.fixture
    def app(self, postgres_url) -> Iterator[LucyApplication]:
        app = LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore())
        yield app
        app.close()

    @pytest.fixture
    def sql(self, postgres_url) -> Execute:
        server, _, schema = postgres_url.partition("?schema=")

        def run(statement: str, params: tuple[Any, ...]) -> None:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'SET search_path TO "{schema}"')
                conn.execute(statement, params)
        return run

    def alter(self, table: str) -> str:
        return (f"UPDATE {table} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
                "'a', 'b'), 'UTF8') WHERE notification_id = %s")

    def delete(self, table: str) -> str:
        return f"DELETE FROM {table} WHERE notification_id = %s"

    def copy_as_new_version(self, table: str) -> str:
        return (f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                f"SELECT originator_id, originator_version + 100, topic, state FROM {table} "
                "WHERE notification_id = 1")

    def set_link(self, table: str) -> str:
        return f"UPDATE {table}_chain SET hash = %s WHERE notification_id = %s"
