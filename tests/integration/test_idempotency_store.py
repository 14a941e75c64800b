"""The Idempotency-Key store on each read-side database (SQLite file, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from lucy_events.idempotency import Answer, Claimed, IdempotentRequests, KeyReused, Replayed
from lucy_events.sqldb import Database


class IdempotencyContract:
    """The Idempotency-Key store on each read-side database."""

    @pytest.fixture
    def db(self) -> Iterator[Database]:
        raise NotImplementedError

    def test_a_key_is_claimed_once_answered_again_and_forgotten_after_a_day(self, db):
        store, firm, now = IdempotentRequests(db), uuid4(), datetime.now(UTC)
        held = store.claim(firm, "k", "print-1", now)
        assert isinstance(held, Claimed)
        store.complete(firm, "k", held, Answer(201, {"id": "d-1"}, {"Location": "/d-1"}))
        again = store.claim(firm, "k", "print-1", now)
        assert again == Replayed(Answer(201, {"id": "d-1"}, {"Location": "/d-1"}))
        with pytest.raises(KeyReused):
            store.claim(firm, "k", "print-2", now)
        assert isinstance(store.claim(uuid4(), "k", "print-2", now), Claimed)  # another firm
        later = store.claim(firm, "k", "print-2", now + timedelta(hours=25))
        assert isinstance(later, Claimed)
        store.release(firm, "k", later)
        assert isinstance(store.claim(firm, "k", "print-3", now + timedelta(hours=25)), Claimed)


class TestIdempotencyOnSQLite(IdempotencyContract):
    @pytest.fixture
    def db(self, tmp_path) -> Iterator[Database]:
        database = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
        yield database
        database.close()


@pytest.mark.postgres
class TestIdempotencyOnPostgreSQL(IdempotencyContract):
    @pytest.fixture
    def db(self, postgres_url) -> Iterator[Database]:
        database = Database.from_url(postgres_url)
        yield database
        database.close()
