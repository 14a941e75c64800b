"""Fixtures shared by every layer of tests.

Services the tests need (PostgreSQL) are skipped when missing on a developer's machine,
but a missing service fails the run in CI (CI=true): CI must never go green by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lucy_events.aggregates.actors import Actor

POSTGRES_URL = os.environ.get(
    "LUCY_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required in CI and is not available")
    pytest.skip(f"{what} is not available")


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:
        service_missing(f"PostgreSQL at {POSTGRES_URL} ({error})")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A database URL whose tables live in a fresh schema, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{separator}schema={schema}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def broker() -> Iterator[Any]:
    """A real Kafka-protocol broker (tansu) of its own, on a free loopback port."""
    from lucy_events.testing.tansu import BrokerError, TansuBroker, tansu_binary

    try:
        tansu_binary()
    except BrokerError as error:
        service_missing(f"the tansu broker ({error})")
    with TansuBroker() as running:
        yield running


#: A consumer group's first join takes about half the session timeout on tansu.
FAST_GROUP = {"session_timeout_ms": 2000, "heartbeat_interval_ms": 300}
