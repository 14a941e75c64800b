"""Where each consumer (and the relay) is in its source, stored in the read-side database.

A handler that writes to that database saves its position in the same transaction as
its writes; the relay saves its position only after the broker acknowledged.
"""

from __future__ import annotations

from lucy_events.sqldb import Transaction

SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_positions (
    consumer TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL,
    position BIGINT NOT NULL, PRIMARY KEY (consumer, topic, part))"""

Positions = dict[tuple[str, int], int]


def create_table(tx: Transaction) -> None:
    """Create the table if needed. On PostgreSQL two consumers starting at once would race
    in CREATE TABLE IF NOT EXISTS (a unique violation on the catalogue), so it is
    serialised with a transaction-level advisory lock."""
    if tx.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(hashtext('lucy_events.positions'))")
    tx.execute(SCHEMA)


def load(tx: Transaction, consumer: str) -> Positions:
    rows = tx.execute(
        "SELECT topic, part, position FROM lucy_positions WHERE consumer = :consumer",
        {"consumer": consumer},
    )
    return {(topic, part): int(position) for topic, part, position in rows}


def save(tx: Transaction, consumer: str, positions: Positions) -> None:
    tx.executemany(
        "INSERT INTO lucy_positions (consumer, topic, part, position) "
        "VALUES (:consumer, :topic, :part, :position) "
        "ON CONFLICT (consumer, topic, part) DO UPDATE SET position = excluded.position "
        "WHERE lucy_positions.position < excluded.position",
        [{"consumer": consumer, "topic": topic, "part": part, "position": position}
         for (topic, part), position in positions.items()],
    )


def save_redoable(tx: Transaction, consumer: str, positions: Positions) -> None:
    """``save`` a position whose loss only means doing work again: the relay's, which
    then publishes again what consumers de-duplicate anyway (delivery is at least once).
    On PostgreSQL this transaction's commit does not wait for its WAL to reach the disk
    (``synchronous_commit`` off): a crash of the database server may lose the last
    fraction of a second of such commits, in commit order, so the position can only move
    back, never past what was acknowledged. The relay's process then no longer waits
    1-5 ms for the disk after every batch (docs/benchmarks.md, Relay)."""
    if tx.dialect == "postgresql":
        tx.execute("SET LOCAL synchronous_commit = off")
    save(tx, consumer, positions)


def reset(tx: Transaction, consumer: str) -> None:
    tx.execute("DELETE FROM lucy_positions WHERE consumer = :consumer", {"consumer": consumer})
