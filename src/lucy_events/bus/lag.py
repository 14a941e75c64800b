"""How far behind each consumer is.

Consumers of the notification log (the embedded default's handlers, and the relay) keep
their positions in ``lucy_positions``; their lag is the store's head minus that position.
Consumer groups on Kafka keep committed offsets in the broker; their lag per partition is
the partition's end offset minus the committed one (minus its start, while the group has
committed nothing there). Which consumers exist is never typed here: the caller passes the
handlers that really run (``Services.consumer_handlers``), and their names are the groups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import OffsetSpec

from lucy_events.bus import positions
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LOG_TOPIC
from lucy_events.sqldb import Database


@dataclass(frozen=True)
class Lag:
    consumer: str
    topic: str
    partition: int
    position: int
    lag: int


class Consumer(Protocol):
    """What the lag reader needs of a handler: its name (the group) and its topics."""

    @property
    def name(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


def store_lag(db: Database, head: int, expected: Iterable[str] = ()) -> list[Lag]:
    """Consumers of the notification log (and the relay), against the store's head; the
    ``expected`` consumers that have stored no position yet are reported at 0."""
    with db.transaction() as tx:
        positions.create_table(tx)
        rows = tx.execute(
            "SELECT consumer, topic, part, position FROM lucy_positions WHERE topic = :log "
            "ORDER BY consumer", {"log": LOG_TOPIC},
        )
    lags = [Lag(c, t, int(p), int(pos), max(0, head - int(pos))) for c, t, p, pos in rows]
    known = {lag.consumer for lag in lags}
    lags += [Lag(name, LOG_TOPIC, 0, 0, head) for name in expected if name not in known]
    return sorted(lags, key=lambda lag: lag.consumer)


class KafkaLag:
    """Committed offsets of consumer groups against the partitions' end offsets, through one
    long-lived admin client: ``admin`` returns it (``Services.kafka_admin`` builds it on
    the first read and keeps it). Safe to share between threads."""

    def __init__(self, admin: Callable[[], KafkaAdminClient]) -> None:
        self._admin = admin
        self._lock = threading.Lock()

    @property
    def admin(self) -> KafkaAdminClient:
        return self._admin()

    def groups(self, consumers: Sequence[Consumer]) -> list[Lag]:
        if not consumers:
            return []
        with self._lock:
            partitions = self._partitions({t for c in consumers for t in c.topics})
            ends = self.admin.list_partition_offsets(
                {tp: OffsetSpec.LATEST for tp in partitions})
            starts = self.admin.list_partition_offsets(
                {tp: OffsetSpec.EARLIEST for tp in partitions})
            committed = self.admin.list_group_offsets([c.name for c in consumers])
        lags = []
        for consumer in consumers:
            offsets = committed.get(consumer.name) or {}
            for tp in (tp for tp in partitions if tp.topic in consumer.topics):
                end, start = ends[tp].offset, starts[tp].offset
                meta = offsets.get(tp)
                position = meta.offset if meta is not None and meta.offset >= 0 else start
                lags.append(Lag(consumer.name, tp.topic, tp.partition, position,
                                max(0, end - position)))
        return lags

    def topic_sizes(self, topics: Iterable[str]) -> dict[str, int]:
        """Records on each existing topic (end minus start offsets, summed over partitions):
        how many messages the ``.dlq`` topics hold."""
        with self._lock:
            partitions = self._partitions(set(topics))
            if not partitions:
                return {}
            ends = self.admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in partitions})
            starts = self.admin.list_partition_offsets(
                {tp: OffsetSpec.EARLIEST for tp in partitions})
        sizes: dict[str, int] = {}
        for tp in partitions:
            sizes[tp.topic] = sizes.get(tp.topic, 0) + ends[tp].offset - starts[tp].offset
        return sizes

    def _partitions(self, topics: set[str]) -> list[TopicPartition]:
        existing = set(self.admin.list_topics())
        wanted = sorted(topics & existing)
        if not wanted:
            return []
        return sorted(
            TopicPartition(described["name"], partition["partition_index"])
            for described in self.admin.describe_topics(wanted)
            for partition in described["partitions"]
        )


@dataclass
class LagReader:
    """Every consumer that really runs, on whichever source feeds it: the store's log
    positions (the relay, the embedded handlers) and, with Kafka, the handlers' groups."""

    db: Database
    head: Callable[[], int]
    consumers: Sequence[Consumer]
    kafka: KafkaLag | None = None

    def read(self) -> list[Lag]:
        head = self.head()
        if self.kafka is None:
            return store_lag(self.db, head, [c.name for c in self.consumers])
        return store_lag(self.db, head) + self.kafka.groups(self.consumers)


def dead_letter_counts(db: Database) -> dict[str, int]:
    """Messages parked in the store per consumer (Kafka consumers park on DLQ topics)."""
    StoreDeadLetters(db).ensure_table()  # when nothing was ever parked
    with db.transaction() as tx:
        rows = tx.execute("SELECT consumer, COUNT(*) FROM lucy_dead_letters GROUP BY consumer")
    return {consumer: int(count) for consumer, count in rows}
