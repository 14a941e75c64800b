"""What the benchmarks share: a throw-away PostgreSQL schema and a rate printer."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

POSTGRES_URL = os.environ.get(
    "LUCY_BENCH_DATABASE_URL",
    os.environ.get("LUCY_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


@contextmanager
def scratch_schema(prefix: str) -> Iterator[str]:
    """A database URL on a fresh schema, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def rate(count: int, run: Callable[[], None]) -> float:
    """Operations per second of ``run``, which performs ``count`` operations."""
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)
