"""Parked messages: kept with their error, never dropped, so ops can look and replay.

On Kafka they go to ``<topic>.dlq`` with the original key and bytes and ``dlq-*``
headers; in-process they go to the ``lucy_dead_letters`` table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer

from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.runtime import DeadLetters, Delivery, Position, Undecodable
from lucy_events.sqldb import Database

DLQ_SUFFIX = ".dlq"


def _headers(position: Position, consumer: str, error: str) -> list[tuple[str, bytes]]:
    return [
        ("dlq-error", error[:4000].encode()),
        ("dlq-consumer", consumer.encode()),
        ("dlq-topic", position.topic.encode()),
        ("dlq-partition", str(position.partition).encode()),
        ("dlq-offset", str(position.offset).encode()),
    ]


class KafkaDeadLetters(DeadLetters):
    def __init__(self, bootstrap: str, producer: KafkaProducer | None = None) -> None:
        self.producer = producer or KafkaProducer(**producer_settings(bootstrap))

    def _send(self, topic: str, key: bytes | None, value: bytes,
              headers: list[tuple[str, bytes]]) -> None:
        self.producer.send(topic + DLQ_SUFFIX, key=key, value=value, headers=headers).get(
            timeout=60
        )

    def park_undecodable(self, item: Undecodable, consumer: str) -> None:
        headers = [*item.headers, *_headers(item.position, consumer, item.error)]
        self._send(item.position.topic, item.key, item.payload, headers)

    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None:
        headers = [("event-id", delivery.event.event_id.encode()),
                   ("event-type", delivery.event.type.encode()),
                   *_headers(delivery.position, consumer, repr(error))]
        self._send(delivery.position.topic, delivery.key or delivery.event.key,
                   delivery.payload, headers)


SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_dead_letters (
    consumer TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL,
    position BIGINT NOT NULL, event_id TEXT, error TEXT NOT NULL, payload BYTEA,
    parked_at TEXT NOT NULL, PRIMARY KEY (consumer, topic, part, position))"""


class StoreDeadLetters(DeadLetters):
    def __init__(self, db: Database) -> None:
        self.db = db
        with db.transaction() as tx:
            tx.execute(SCHEMA if db.dialect == "postgresql" else SCHEMA.replace("BYTEA", "BLOB"))

    def _park(self, consumer: str, position: Position, event_id: str | None,
              error: str, payload: bytes) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_dead_letters (consumer, topic, part, position, event_id, "
                "error, payload, parked_at) VALUES (:consumer, :topic, :part, :position, "
                ":event_id, :error, :payload, :parked_at) ON CONFLICT DO NOTHING",
                {"consumer": consumer, "topic": position.topic, "part": position.partition,
                 "position": position.offset, "event_id": event_id, "error": error,
                 "payload": payload, "parked_at": datetime.now(UTC).isoformat()},
            )

    def park_undecodable(self, item: Undecodable, consumer: str) -> None:
        self._park(consumer, item.position, None, item.error, item.payload)

    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None:
        self._park(consumer, delivery.position, delivery.event.event_id, repr(error),
                   delivery.payload)

    def parked(self, consumer: str | None = None) -> list[dict[str, Any]]:
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT consumer, topic, part, position, event_id, error, parked_at "
                "FROM lucy_dead_letters ORDER BY parked_at"
            )
        keys = ("consumer", "topic", "partition", "position", "event_id", "error", "parked_at")
        return [dict(zip(keys, row, strict=True)) for row in rows
                if consumer is None or row[0] == consumer]
