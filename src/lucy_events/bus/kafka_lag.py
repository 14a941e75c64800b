"""The lag of consumer groups on Kafka (``bus.lag`` reads the rest): apart, so that a
process without a broker never loads the Kafka client."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import OffsetSpec

from lucy_events.bus.lag import Consumer, Lag


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
