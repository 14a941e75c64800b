"""The Kafka source: a consumer group member that commits only what was processed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import structlog
from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import CommitFailedError
from kafka.structs import OffsetAndMetadata

from lucy_events.bus.avro import AvroCodec, UndecodableMessage
from lucy_events.bus.runtime import Batch, Delivery, Position, Source, Undecodable, lazy_delivery

log = structlog.get_logger()


#: Builds a Position without the named tuple's own ``__new__`` (Python code): one a message.
_position = tuple.__new__

#: The longest one ``poll`` waits for a join to finish (a shutdown waits at most this long).
JOIN_WAIT_CAP_S = 10.0


class _Rebalance(ConsumerRebalanceListener):
    """Logs the group's rebalances and knows whether the member is between a revoke (or
    its first poll) and its next assignment, that is: joining."""

    def __init__(self, group: str) -> None:
        self.group = group
        self.joined = False

    def on_partitions_revoked(self, revoked: Any) -> None:
        # Everything processed was committed before this poll; nothing is left behind.
        self.joined = False
        log.info("partitions revoked", group=self.group, partitions=sorted(map(str, revoked)))

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.joined = True
        log.info("partitions assigned", group=self.group, partitions=sorted(map(str, assigned)))

    def on_partitions_lost(self, lost: Any) -> None:
        self.joined = False
        log.warning("partitions lost", group=self.group, partitions=sorted(map(str, lost)))


#: Event type names by their header's bytes, decoded once each (a few dozen types; the
#: bound only keeps a stream of made-up names from growing it).
_TYPE_NAMES: dict[bytes, str] = {}
_MAX_TYPE_NAMES = 1_000


def _event_type(headers: Any) -> str | None:
    for name, value in headers or ():  # the relay writes it first
        if name == "event-type" and value:
            found = _TYPE_NAMES.get(value)
            if found is None:
                found = value.decode()
                if len(_TYPE_NAMES) < _MAX_TYPE_NAMES:
                    _TYPE_NAMES[value] = found
            return found
    return None


class KafkaSource(Source):
    """Reads with a group member built by bootstrap (``consumer_settings``: no auto
    commit) and subscribes it to the topics."""

    def __init__(
        self, consumer: KafkaConsumer, group_id: str, topics: Iterable[str],
        codec: AvroCodec | None = None,
    ) -> None:
        self.group_id = group_id
        self.codec = codec or AvroCodec()
        self.consumer = consumer
        self._rebalance = _Rebalance(group_id)
        self.consumer.subscribe(topics=list(topics), listener=self._rebalance)
        self.join_wait = min(consumer.config["session_timeout_ms"] / 1000, JOIN_WAIT_CAP_S)

    def poll(self, max_records: int, timeout: float) -> Batch:
        """Records from the assigned partitions. While the member is joining its group,
        the poll waits for the join (up to ``join_wait``) rather than ``timeout``:
        kafka-python 3.0.12 throws away a join that finished between two polls and joins
        again, so a member polled only now and then would never get its partitions
        (docs/kafka-broker-notes.md, "Joining a group")."""
        if not self._rebalance.joined:
            timeout = max(timeout, self.join_wait)
        polled = self.consumer.poll(timeout_ms=int(timeout * 1000), max_records=max_records)
        batch = Batch()
        deliveries, decode = batch.deliveries, self.codec.decode
        for (topic, partition), records in polled.items():
            for record in records:
                position = _position(Position, (topic, partition, record.offset))
                value = record.value or b""
                headers = record.headers
                # The relay writes the event type first: found without a call.
                event_type = (_TYPE_NAMES.get(headers[0][1])
                              if headers and headers[0][0] == "event-type" else None)
                if event_type is None:
                    event_type = _event_type(headers)
                if event_type is not None:  # decoded when a handler looks at it
                    deliveries.append(lazy_delivery(
                        position, value, record.key, event_type, decode))
                    continue
                try:
                    event = self.codec.decode(value)
                except UndecodableMessage as error:
                    batch.undecodable.append(Undecodable(
                        position, value, str(error), record.key,
                        tuple((k, v or b"") for k, v in record.headers or ()),
                    ))
                else:
                    deliveries.append(Delivery(event, position, value, record.key))
        return batch

    def commit(self, batch: Batch) -> None:
        # Only partitions this member holds: a handler that keeps messages in flight
        # (the router) may finish one after its partition went to another member, whose
        # commits must not be moved back.
        assigned = self.consumer.assignment()
        offsets = {
            TopicPartition(topic, partition): OffsetAndMetadata(offset + 1, "", -1)
            for (topic, partition), offset in batch.last_positions().items()
            if TopicPartition(topic, partition) in assigned
        }
        if not offsets:
            return
        try:
            self.consumer.commit(offsets)
        except CommitFailedError as error:
            # The group moved on (a rebalance): another member gets these messages again,
            # and the handlers' de-duplication makes that harmless.
            log.warning("commit failed after a rebalance", group=self.group_id, error=str(error))

    def lag(self) -> dict[tuple[str, int], int]:
        lag = {}
        for partition in self.consumer.assignment():
            highwater = self.consumer.highwater(partition)
            committed = self.consumer.committed(partition) or 0
            if highwater is not None:
                lag[(partition.topic, partition.partition)] = max(0, highwater - committed)
        return lag

    def close(self) -> None:
        self.consumer.close()
