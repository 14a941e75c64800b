"""tansu answers a waiting fetch at its next round (at half, three quarters... of the
wait), not when the record arrives: a record waits at most half of the consumers' fetch
wait (``fetch_max_wait_ms`` in ``bus/kafka_settings.py``; docs/kafka-broker-notes.md,
"Fetch wait"). The wait also sets how often an idle member asks again, which is what an
idle consumer's CPU goes on (docs/benchmarks.md, Delivery, session 5);
$LUCY_KAFKA_FETCH_MAX_WAIT_MS trades that latency for CPU."""

from __future__ import annotations

import time

from kafka import KafkaProducer

from lucy_events.bootstrap import kafka_source
from lucy_events.bus.kafka_settings import consumer_settings, producer_settings
from tests.conftest import FAST_GROUP

LONG_WAIT_MS = 6_000


def test_the_consumers_let_the_broker_hold_an_idle_fetch_for_half_a_second():
    assert consumer_settings("127.0.0.1:9092", "group")["fetch_max_wait_ms"] == 500


def test_a_record_reaches_an_idle_member_long_before_its_fetch_wait_ends(broker):
    broker.create_topics(["waiting"], partitions=3)
    source = kafka_source(broker.bootstrap, "idle", ["waiting"],
                          **FAST_GROUP, fetch_max_wait_ms=LONG_WAIT_MS)
    producer = KafkaProducer(**producer_settings(broker.bootstrap))
    try:
        deadline = time.monotonic() + 30
        while len(source.consumer.assignment()) < 3 and time.monotonic() < deadline:
            source.poll(100, 0.5)
        source.poll(100, 1.0)  # a fetch now waits at the broker for something to read

        producer.send("waiting", key=b"client", value=b"record").get(timeout=10)
        sent = time.monotonic()
        read = 0
        while not read and time.monotonic() - sent < LONG_WAIT_MS / 1000:
            read = len(source.poll(100, 0.1).undecodable)
        assert read == 1
        assert time.monotonic() - sent < LONG_WAIT_MS / 2000
    finally:
        producer.close()
        source.close()
