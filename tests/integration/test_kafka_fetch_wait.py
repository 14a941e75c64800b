"""tansu answers a waiting fetch at its next round (at half, three quarters... of the
wait), not when the record arrives: a record waits at most half of the consumers' fetch
wait (``fetch_max_wait_ms`` in ``bus/kafka_settings.py``; docs/kafka-broker-notes.md,
"Fetch wait"). The wait also sets how often an idle member asks again, which is what an
idle consumer's CPU goes on (docs/benchmarks.md, Delivery, session 5);
$LUCY_KAFKA_FETCH_MAX_WAIT_MS trades that latency for CPU. The router, whose latency
someone waits on, has its own shorter wait ($LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from kafka import KafkaProducer

from lucy_events.bootstrap import bootstrap, kafka_source
from lucy_events.bus.kafka_settings import (
    FETCH_MAX_WAIT_ENV,
    LATENCY_FETCH_MAX_WAIT_ENV,
    consumer_settings,
    producer_settings,
)
from tests.conftest import FAST_GROUP
from tests.integration.onboarding.conftest import settings_for

LONG_WAIT_MS = 6_000


def test_the_consumers_let_the_broker_hold_an_idle_fetch_for_half_a_second():
    assert consumer_settings("127.0.0.1:9092", "group")["fetch_max_wait_ms"] == 500


def test_a_consumer_someone_waits_on_lets_the_broker_hold_a_fetch_a_tenth_of_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(LATENCY_FETCH_MAX_WAIT_ENV, raising=False)
    monkeypatch.setenv(FETCH_MAX_WAIT_ENV, "300")  # the other consumers' wait: not this one
    assert consumer_settings("127.0.0.1:9092", "g", latency_sensitive=True)[
        "fetch_max_wait_ms"] == 100

    monkeypatch.setenv(LATENCY_FETCH_MAX_WAIT_ENV, "50")
    assert consumer_settings("127.0.0.1:9092", "g", latency_sensitive=True)[
        "fetch_max_wait_ms"] == 50
    assert consumer_settings("127.0.0.1:9092", "g")["fetch_max_wait_ms"] == 300

    monkeypatch.setenv(LATENCY_FETCH_MAX_WAIT_ENV, "0")
    with pytest.raises(ValueError, match="LUCY_KAFKA_LATENCY_FETCH_MAX_WAIT_MS must be positive"):
        consumer_settings("127.0.0.1:9092", "g", latency_sensitive=True)


def test_in_the_route_process_only_the_router_s_member_has_the_short_fetch_wait(
    broker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(LATENCY_FETCH_MAX_WAIT_ENV, raising=False)
    monkeypatch.delenv(FETCH_MAX_WAIT_ENV, raising=False)
    services = bootstrap(dataclasses.replace(settings_for(tmp_path),
                                             kafka_bootstrap=broker.bootstrap))
    runtimes = [consumer.build() for consumer in
                services.consumer_runner(services.delivery_handlers()).consumers]
    try:
        waits = {runtime.handler.name: runtime.source.consumer.config["fetch_max_wait_ms"]
                 for runtime in runtimes}
        assert waits == {"router": 100, "multisender": 500}
    finally:
        for runtime in runtimes:
            runtime.source.close()
        services.close()


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
