"""A group member that is polled now and then (several runtimes stepped by one thread,
or a busy step between polls) still joins its group and reads.

kafka-python 3.0.12 runs the JoinGroup/SyncGroup round in its I/O thread; when that round
finishes while no ``poll`` is waiting for it, the next ``poll`` sends a fresh JoinGroup
instead of taking the finished one's assignment (``join_group_async`` starts a new task
when the last one ``is_done``). A member whose polls keep missing the end of the join
rejoins for ever and never reads (docs/kafka-broker-notes.md, "Joining a group")."""

from __future__ import annotations

import time

from kafka import KafkaProducer

from lucy_events.bootstrap import kafka_source
from lucy_events.bus.kafka_settings import producer_settings
from tests.conftest import FAST_GROUP


def test_a_member_polled_only_now_and_then_still_joins_and_reads_its_records(broker):
    broker.create_topics(["joining"], partitions=3)
    producer = KafkaProducer(**producer_settings(broker.bootstrap))
    for number in range(30):
        producer.send("joining", key=str(number).encode(), value=b"record")
    producer.flush()
    producer.close()

    source = kafka_source(broker.bootstrap, "seldom", ["joining"], **FAST_GROUP)
    try:
        read = 0
        deadline = time.monotonic() + 30
        while read < 30 and time.monotonic() < deadline:
            read += len(source.poll(100, 0.05).undecodable)
            time.sleep(2.5)  # longer than tansu's join: each join ends between two polls
        assert read == 30
        assert len(source.consumer.assignment()) == 3
    finally:
        source.close()
