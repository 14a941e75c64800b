"""What the benchmarks share: a throw-away PostgreSQL schema, raw connections to it, a
rate printer, and the raw way to store a blob as the filesystem blob store does."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

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


def connect_to(url: str, *, autocommit: bool = True) -> psycopg.Connection:
    """A raw connection whose tables are those of ``url``'s scratch schema."""
    schema = url.split("schema=")[1]
    return psycopg.connect(POSTGRES_URL, autocommit=autocommit,
                           options=f"-c search_path={schema}")


def be_number(seed: int) -> str:
    """A valid Belgian enterprise number of its own per seed: a firm has one client per
    company (the check digits are mod 97)."""
    digits = f"0{6_000_000 + seed * 7919:07d}"
    return digits + f"{97 - int(digits) % 97:02d}"


def rate(count: int, run: Callable[[], None]) -> float:
    """Operations per second of ``run``, which performs ``count`` operations."""
    started = time.perf_counter()
    run()
    return count / (time.perf_counter() - started)


def bench_firm(app: Any, clients: int) -> tuple[UUID, list[UUID]]:
    """A firm (``app``: a LucyApplication) with ``clients`` plain Belgian clients: what the
    benchmarks that are about documents need around them."""
    from lucy_events.aggregates.actors import Actor

    setup = Actor.system("bench")
    firm_id = app.register_firm("Bench Firm", setup)
    return firm_id, [app.create_client(
        firm_id, setup, name=f"Client {n}", country="BE", enterprise_number=be_number(n),
        address={"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent",
                 "country": "BE"},
        contact_person={"first_name": "A", "last_name": "B", "email": "a@bench.example"},
    ) for n in range(clients)]


def write_blob(root: str, content: bytes) -> None:
    """What FilesystemBlobStore does with a new content: content-addressed by its
    SHA-256, written beside its place, fsynced, renamed into place."""
    digest = hashlib.sha256(content).hexdigest()
    folder = os.path.join(root, digest[:2], digest[2:4])
    path = os.path.join(folder, digest)
    if os.path.exists(path):
        return
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
