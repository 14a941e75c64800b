"""The credential tables on both read databases: a token table from before expiries
gains its column, and failed sign-ins counted by one process block in another."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from lucy_events.access_tokens import AccessTokens
from lucy_events.auth_throttle import AuthThrottle, Limit, account_key
from lucy_events.sqldb import Database
from lucy_events.staff_sessions import StaffSessions

OLD_TOKENS = """CREATE TABLE staff_tokens (
    token_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/read.sqlite"
    else:
        yield request.getfixturevalue("postgres_url")


def test_a_token_table_from_before_expiries_gains_its_column_and_old_tokens_work(url: str):
    db = Database.from_url(url)
    try:
        with db.transaction() as tx:
            tx.execute(OLD_TOKENS)
            tx.execute("INSERT INTO staff_tokens VALUES (:hash, :firm, :staff, 'cli', "
                       "'2026-01-01T00:00:00+00:00', NULL)",
                       {"hash": hashlib.sha256(b"lucy_old").hexdigest(),
                        "firm": str(uuid4()), "staff": str(uuid4())})
        tokens = AccessTokens(db)
        assert tokens.owner("lucy_old") is not None
        firm, staff = uuid4(), uuid4()
        short = tokens.issue(firm, staff, expires_in=timedelta(seconds=-1))
        lasting = tokens.issue(firm, staff, expires_in=timedelta(days=1))
        assert tokens.owner(short) is None and tokens.owner(lasting) is not None
        assert tokens.revoke_all(staff) == 2  # the expired one was still unrevoked
    finally:
        db.close()


def test_failures_counted_by_one_process_block_in_another(url: str):
    limits = {"account": Limit(2, timedelta(minutes=5), timedelta(seconds=30))}
    first, second = Database.from_url(url), Database.from_url(url)
    try:
        key = account_key("anna@bakkerij.example")
        for db in (first, second, first):
            AuthThrottle(db, limits).failed([key])
        wait = AuthThrottle(second, limits).retry_after([key])
        assert wait is not None and 0 < wait <= 30
    finally:
        first.close()
        second.close()


def test_a_session_ends_for_every_process(url: str):
    first, second = Database.from_url(url), Database.from_url(url)
    try:
        staff = uuid4()
        session_id = StaffSessions(first).start(uuid4(), staff, "admin")
        assert StaffSessions(second).find(session_id) is not None
        assert StaffSessions(second).end_all(staff, "signed out") == 1
        assert StaffSessions(first).find(session_id) is None
    finally:
        first.close()
        second.close()
