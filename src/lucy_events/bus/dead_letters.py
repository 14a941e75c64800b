"""Parked messages: kept with their error, never dropped, so ops can look and replay.

Every parked message is a row of the ``lucy_dead_letters`` table (in the read database),
which ``lucy-events dead-letters`` and the admins' API list, replay and discard
(``bus.dead_letter_replay``). On Kafka it also goes to ``<topic>.dlq`` with the
original key and bytes and ``dlq-*`` headers, for Kafka-side tooling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lucy_events.aggregates.errors import NotFound
from lucy_events.bus.runtime import DeadLetters, Delivery, Position, Undecodable
from lucy_events.sqldb import Database, Transaction

if TYPE_CHECKING:
    from kafka import KafkaProducer

DLQ_SUFFIX = ".dlq"


def _headers(position: Position, consumer: str, error: str) -> list[tuple[str, bytes]]:
    return [
        ("dlq-error", error[:4000].encode()),
        ("dlq-consumer", consumer.encode()),
        ("dlq-topic", position.topic.encode()),
        ("dlq-partition", str(position.partition).encode()),
        ("dlq-offset", str(position.offset).encode()),
    ]


SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_dead_letters (
    consumer TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL,
    position BIGINT NOT NULL, event_id TEXT, error TEXT NOT NULL, payload BYTEA,
    parked_at TEXT NOT NULL, PRIMARY KEY (consumer, topic, part, position))"""
_COLUMNS = "consumer, topic, part, position, event_id, error, parked_at, firm_id, payload"


class DeadLetterNotFound(NotFound):
    """Raised when no parked message has that id (in the viewer's firm): it was replayed
    or discarded already, or never existed."""


@dataclass(frozen=True)
class DeadLetter:
    consumer: str
    topic: str
    partition: int
    position: int
    event_id: str | None
    error: str
    parked_at: str
    firm_id: str | None
    payload: bytes

    @property
    def id(self) -> str:
        """``consumer:topic:partition:position``: unique, and stable across listings."""
        return f"{self.consumer}:{self.topic}:{self.partition}:{self.position}"

    @property
    def undecodable(self) -> bool:
        return self.event_id is None

    @property
    def position_of(self) -> Position:
        return Position(self.topic, self.partition, self.position)


def _key(letter_id: str) -> dict[str, Any] | None:
    consumer, _, rest = letter_id.partition(":")
    topic, _, numbers = rest.rpartition(":")
    topic, _, part = topic.rpartition(":")
    if not (consumer and topic and part.isdigit() and numbers.isdigit()):
        return None
    return {"consumer": consumer, "topic": topic, "part": int(part), "position": int(numbers)}


class KafkaDeadLetters(DeadLetters):
    """``<topic>.dlq`` on the broker, and a row in the store for ops to act on."""

    def __init__(self, producer: KafkaProducer, store: StoreDeadLetters) -> None:
        self.producer = producer
        self.store = store

    def _send(self, topic: str, key: bytes | None, value: bytes,
              headers: list[tuple[str, bytes]]) -> None:
        self.producer.send(topic + DLQ_SUFFIX, key=key, value=value, headers=headers).get(
            timeout=60
        )

    def park_undecodable(self, item: Undecodable, consumer: str) -> None:
        headers = [*item.headers, *_headers(item.position, consumer, item.error)]
        self._send(item.position.topic, item.key, item.payload, headers)
        self.store.park_undecodable(item, consumer)

    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None:
        headers = [("event-id", delivery.event.event_id.encode()),
                   ("event-type", delivery.event.type.encode()),
                   *_headers(delivery.position, consumer, repr(error))]
        self._send(delivery.position.topic, delivery.key or delivery.event.key,
                   delivery.payload, headers)
        self.store.park_failed(delivery, error, consumer)


class StoreDeadLetters(DeadLetters):
    """The table; made on first use (nothing connects when it is built)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ready = False

    def ensure_table(self) -> None:
        if self._ready:
            return
        with self.db.transaction() as tx:
            dialect = self.db.dialect
            tx.execute(SCHEMA if dialect == "postgresql" else SCHEMA.replace("BYTEA", "BLOB"))
            _add_firm_column(tx)
        self._ready = True

    def _park(self, consumer: str, position: Position, event_id: str | None,
              error: str, payload: bytes, firm_id: str | None = None) -> None:
        self.ensure_table()
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_dead_letters (consumer, topic, part, position, event_id, "
                "error, payload, parked_at, firm_id) VALUES (:consumer, :topic, :part, "
                ":position, :event_id, :error, :payload, :parked_at, :firm_id) "
                "ON CONFLICT DO NOTHING",
                {"consumer": consumer, "topic": position.topic, "part": position.partition,
                 "position": position.offset, "event_id": event_id, "error": error,
                 "payload": payload, "parked_at": datetime.now(UTC).isoformat(),
                 "firm_id": firm_id},
            )

    def park_undecodable(self, item: Undecodable, consumer: str) -> None:
        self._park(consumer, item.position, None, item.error, item.payload)

    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None:
        event = delivery.event
        self._park(consumer, delivery.position, event.event_id, repr(error),
                   delivery.payload, str(event.firm_id) if event.firm_id else None)

    def parked(self, consumer: str | None = None) -> list[dict[str, Any]]:
        keys = ("consumer", "topic", "partition", "position", "event_id", "error", "parked_at")
        return [{k: getattr(letter, k) for k in keys} for letter in self.list(consumer=consumer)]

    def list(self, *, firm_id: str | None = None, consumer: str | None = None,
             limit: int = 1000) -> list[DeadLetter]:
        """Oldest first; ``firm_id`` keeps that firm's (undecodable ones have no firm)."""
        self.ensure_table()
        where: list[str] = []
        params: dict[str, Any] = {"limit": limit}
        if firm_id is not None:
            where.append("firm_id = :firm_id")
            params["firm_id"] = firm_id
        if consumer is not None:
            where.append("consumer = :consumer")
            params["consumer"] = consumer
        sql = f"SELECT {_COLUMNS} FROM lucy_dead_letters"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self.db.transaction() as tx:
            rows = tx.execute(sql + " ORDER BY parked_at, position LIMIT :limit", params)
        return [_letter(row) for row in rows]

    def get(self, letter_id: str, *, firm_id: str | None = None) -> DeadLetter:
        self.ensure_table()
        key = _key(letter_id)
        rows = []
        if key is not None:
            with self.db.transaction() as tx:
                rows = tx.execute(
                    f"SELECT {_COLUMNS} FROM lucy_dead_letters WHERE consumer = :consumer "
                    "AND topic = :topic AND part = :part AND position = :position", key)
        if not rows or (firm_id is not None and rows[0][7] != firm_id):
            raise DeadLetterNotFound(f"no parked message {letter_id}")
        return _letter(rows[0])

    def claim(self, tx: Transaction, letter: DeadLetter) -> bool:
        """Remove the letter inside the caller's transaction; False when another replay
        or a discard took it first (that one's effect is the only one)."""
        rows = tx.execute(
            "DELETE FROM lucy_dead_letters WHERE consumer = :consumer AND topic = :topic "
            "AND part = :part AND position = :position RETURNING position",
            {"consumer": letter.consumer, "topic": letter.topic, "part": letter.partition,
             "position": letter.position})
        return bool(rows)

    def discard(self, letter: DeadLetter) -> bool:
        with self.db.transaction() as tx:
            return self.claim(tx, letter)

    def refused_again(self, letter: DeadLetter, error: str) -> None:
        """A replay failed the same way: keep it parked, with the newest reason."""
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE lucy_dead_letters SET error = :error, parked_at = :parked_at "
                "WHERE consumer = :consumer AND topic = :topic AND part = :part "
                "AND position = :position",
                {"error": error[:4000], "parked_at": datetime.now(UTC).isoformat(),
                 "consumer": letter.consumer, "topic": letter.topic,
                 "part": letter.partition, "position": letter.position})


def _letter(row: tuple[Any, ...]) -> DeadLetter:
    consumer, topic, part, position, event_id, error, parked_at, firm_id, payload = row
    return DeadLetter(consumer, topic, int(part), int(position), event_id, error, parked_at,
                      firm_id, bytes(payload or b""))


def _add_firm_column(tx: Transaction) -> None:
    """Tables made before parked messages kept their firm get the column."""
    if tx.dialect == "postgresql":  # asked first: ALTER TABLE locks even when it is a no-op
        columns = {row[0] for row in tx.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = 'lucy_dead_letters'")}
    else:
        columns = {row[1] for row in tx.execute("PRAGMA table_info(lucy_dead_letters)")}
    if "firm_id" not in columns:
        tx.execute("ALTER TABLE lucy_dead_letters ADD COLUMN firm_id TEXT")
