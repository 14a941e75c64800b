"""A replay's span on PostgreSQL: which keys it looks up in the table it writes."""

from __future__ import annotations

import pytest

from lucy_events.projections import span as span_module
from lucy_events.projections.ddl import create_table
from lucy_events.projections.span import Span
from lucy_events.projections.tables import Table
from lucy_events.sqldb import Database

ROWS = Table("span_rows", (("row_id", "text"), ("n", "int")), key=("row_id",))


@pytest.fixture
def db(postgres_url):
    database = Database.from_url(postgres_url)
    with database.transaction() as tx:
        create_table(tx, database.dialect, ROWS, ROWS.name, indexes=False)
    yield database
    database.close()


def insert_behind_the_span(db: Database, row_id: str, n: int) -> None:
    with db.transaction() as tx:
        tx.execute(f"INSERT INTO {ROWS.name} (row_id, n) VALUES (:id, :n)",
                   {"id": row_id, "n": n})


def load(db: Database, span: Span, *keys: str) -> dict:
    with db.transaction() as tx:
        return span.load(tx, ROWS, ROWS.name, keys)


def write(db: Database, span: Span, *row_ids: str) -> None:
    span.save(ROWS.name, {row_id: {"row_id": row_id, "n": 1} for row_id in row_ids})
    with db.transaction() as tx:
        span.write(tx, [(ROWS, ROWS.name)])
    span.clear()


def test_a_span_reads_back_the_rows_it_wrote_to_a_fresh_table_and_looks_up_no_others(db):
    span = Span(db.dialect, limit=10)
    assert load(db, span, "a") == {}
    write(db, span, "a")
    insert_behind_the_span(db, "z", 7)  # no one else writes a replay's fresh table
    assert load(db, span, "a", "z") == {"a": {"row_id": "a", "n": 1}}


def test_a_table_with_rows_of_its_own_is_searched_for_every_key_not_held(db):
    insert_behind_the_span(db, "z", 7)
    span = Span(db.dialect, limit=10)
    write(db, span, "a")
    assert load(db, span, "a", "z") == {"a": {"row_id": "a", "n": 1},
                                         "z": {"row_id": "z", "n": 7}}


def test_a_span_that_wrote_more_keys_than_it_remembers_searches_for_every_key(
        db, monkeypatch):
    monkeypatch.setattr(span_module, "MAX_WRITTEN", 1)
    span = Span(db.dialect, limit=10)
    assert load(db, span, "a") == {}
    write(db, span, "a", "b")
    insert_behind_the_span(db, "z", 7)
    assert load(db, span, "z") == {"z": {"row_id": "z", "n": 7}}
