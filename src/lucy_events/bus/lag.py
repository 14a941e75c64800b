"""How far behind each consumer is: from the positions table for in-process consumers
and the relay, and from Kafka's committed offsets for consumer groups."""

from __future__ import annotations

from dataclasses import dataclass

from kafka import KafkaAdminClient, KafkaConsumer

from lucy_events.bus import positions
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.kafka_settings import admin_settings
from lucy_events.sqldb import Database


@dataclass(frozen=True)
class Lag:
    consumer: str
    topic: str
    partition: int
    position: int
    lag: int


def store_lag(db: Database, head: int) -> list[Lag]:
    """Consumers of the notification log (and the relay), against the store's head."""
    with db.transaction() as tx:
        positions.create_table(tx)
        rows = tx.execute(
            "SELECT consumer, topic, part, position FROM lucy_positions WHERE topic = 'log' "
            "ORDER BY consumer"
        )
    return [Lag(c, t, p, pos, max(0, head - pos)) for c, t, p, pos in rows]


def kafka_lag(bootstrap: str, groups: list[str]) -> list[Lag]:
    """Consumer groups on Kafka: end offset minus committed offset per partition."""
    admin = KafkaAdminClient(**admin_settings(bootstrap))
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        lags = []
        for group in groups:
            committed = admin.list_consumer_group_offsets(group)
            if not committed:
                continue
            ends = consumer.end_offsets(list(committed))
            for tp, meta in sorted(committed.items()):
                end = ends.get(tp, meta.offset)
                lags.append(Lag(group, tp.topic, tp.partition, meta.offset,
                                max(0, end - meta.offset)))
        return lags
    finally:
        consumer.close()
        admin.close()


def dead_letter_counts(db: Database) -> dict[str, int]:
    """Messages parked in the store per consumer (Kafka consumers park on DLQ topics)."""
    StoreDeadLetters(db).ensure_table()  # when nothing was ever parked
    with db.transaction() as tx:
        rows = tx.execute("SELECT consumer, COUNT(*) FROM lucy_dead_letters GROUP BY consumer")
    return {consumer: int(count) for consumer, count in rows}
