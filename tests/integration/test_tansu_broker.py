"""A real Kafka-protocol broker (tansu) with the client settings of lucy_events.bus.

Each test starts its own broker on a free port, so the tests run in parallel (pytest -n).
A missing tansu binary or moto server skips a test on a developer's machine and fails it in
CI, like every other missing service.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from lucy_events.bus.kafka_settings import (
    FETCH_MAX_WAIT_ENV,
    HEARTBEAT_INTERVAL_ENV,
    SESSION_TIMEOUT_ENV,
    consumer_settings,
    producer_settings,
)
from lucy_events.testing.tansu import BrokerError, MotoS3, TansuBroker, tansu_binary

# A group's first join takes about session_timeout_ms / 2 on tansu: keep it short in tests.
FAST_GROUP = {"session_timeout_ms": 3000, "heartbeat_interval_ms": 300}
PARTITIONS = 3


def _service_missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is required in CI and is not available")
    pytest.skip(f"{what} is not available")


def _require_tansu() -> None:
    try:
        tansu_binary()
    except BrokerError as error:
        _service_missing(f"the tansu broker ({error})")


class Clients:
    """Makes producers and consumers from the bus settings; closes them all at the end."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._open: list[KafkaProducer | KafkaConsumer] = []

    def producer(self, **overrides: Any) -> KafkaProducer:
        producer = KafkaProducer(**producer_settings(self.bootstrap, **overrides))
        self._open.append(producer)
        return producer

    def consumer(self, topic: str | None, group_id: str) -> KafkaConsumer:
        """Subscribed to `topic`, or to nothing (for assign()) when it is None."""
        topics = [topic] if topic else []
        settings = consumer_settings(self.bootstrap, group_id, **FAST_GROUP)
        consumer = KafkaConsumer(*topics, **settings)
        self._open.append(consumer)
        return consumer

    def close(self) -> None:
        while self._open:
            self._open.pop().close()


@pytest.fixture
def broker() -> Iterator[TansuBroker]:
    _require_tansu()
    with TansuBroker() as running:
        yield running


@pytest.fixture
def kafka(broker: TansuBroker) -> Iterator[Clients]:
    clients = Clients(broker.bootstrap)
    yield clients
    clients.close()


@pytest.fixture
def topic(broker: TansuBroker) -> str:
    name = f"events-{uuid.uuid4().hex[:8]}"
    broker.create_topics([name], partitions=PARTITIONS)
    return name


def produce(producer: KafkaProducer, topic: str, keys: list[str], start: int, count: int) -> None:
    """Sends records "<key>:<seq>" with headers; waits until every one is acknowledged."""
    futures = []
    for seq in range(start, start + count):
        key = keys[seq % len(keys)]
        headers = [("event-type", b"DocumentFiled"), ("seq", str(seq).encode())]
        futures.append(producer.send(topic, key=key.encode(), value=f"{key}:{seq}".encode(),
                                     headers=headers))
    producer.flush(timeout=10)
    for future in futures:
        future.get(timeout=10)


def consume(consumer: KafkaConsumer, count: int, timeout_s: float = 15.0,
            settle_s: float = 0.0) -> list[ConsumerRecord]:
    """Polls until `count` records came (then `settle_s` more, to catch extras); commits."""
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout_s
    while len(records) < count and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(batch)
    settle_until = time.monotonic() + settle_s
    while time.monotonic() < settle_until:
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(batch)
    consumer.commit()
    return records


def values(records: list[ConsumerRecord]) -> list[str]:
    return sorted(record.value.decode() for record in records)


def test_a_produced_message_with_headers_is_consumed_by_a_consumer_group_in_key_order(
    kafka: Clients, topic: str
) -> None:
    keys = [f"client-{n}" for n in range(6)]
    producer = kafka.producer()
    assert producer.config["enable_idempotence"] is True  # not silently dropped by a conflict
    produce(producer, topic, keys, start=0, count=60)

    records = consume(kafka.consumer(topic, "routing"), count=60)

    assert len(records) == 60
    by_key: dict[str, list[Any]] = defaultdict(list)
    partitions_of_key: dict[str, set[int]] = defaultdict(set)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        key, seq = record.value.decode().split(":")
        assert record.key.decode() == key
        assert dict(record.headers) == {"event-type": b"DocumentFiled", "seq": seq.encode()}
        by_key[key].append(int(seq))
        partitions_of_key[key].add(record.partition)
    assert set(by_key) == set(keys)
    for key, seqs in by_key.items():
        assert seqs == sorted(seqs) and len(seqs) == 10, key
        assert len(partitions_of_key[key]) == 1, key
    assert {r.partition for r in records} == set(range(PARTITIONS))


def test_committed_offsets_survive_a_consumer_restart_so_it_gets_only_new_messages(
    kafka: Clients, topic: str
) -> None:
    producer = kafka.producer()
    produce(producer, topic, ["a", "b", "c"], start=0, count=9)
    first = kafka.consumer(topic, "projector")
    assert len(consume(first, count=9)) == 9
    first.close()

    produce(producer, topic, ["a", "b", "c"], start=9, count=4)
    restarted = kafka.consumer(topic, "projector")

    assert values(consume(restarted, count=4, settle_s=1.0)) == ["a:12", "a:9", "b:10", "c:11"]


def test_the_idempotent_producer_writes_a_record_once_when_a_stalled_broker_makes_it_retry(
    broker: TansuBroker, kafka: Clients
) -> None:
    copies = {}
    for idempotent in (True, False):
        topic = f"stall-{idempotent}-{uuid.uuid4().hex[:6]}"
        broker.create_topics(topic, partitions=1)
        producer = kafka.producer(enable_idempotence=idempotent, request_timeout_ms=1000)
        producer.send(topic, value=b"warm-up").get(timeout=10)
        broker.freeze()
        future = producer.send(topic, value=b"once")
        time.sleep(2.5)  # the request times out, and is sent again to the frozen broker
        broker.thaw()
        future.get(timeout=20)
        consumer = kafka.consumer(None, f"check-{idempotent}")
        consumer.assign([TopicPartition(topic, 0)])
        records = consume(consumer, count=2 + (not idempotent), timeout_s=10, settle_s=0.5)
        copies[idempotent] = [record.value for record in records].count(b"once")

    assert copies == {True: 1, False: 2}  # the control run shows the retry really happened


@pytest.fixture
def s3() -> Iterator[MotoS3]:
    _require_tansu()
    try:
        import moto.server  # noqa: F401
    except ImportError as error:
        _service_missing(f"moto's S3 server (pip install 'moto[server]'): {error}")
    with MotoS3() as server:
        yield server


def test_records_and_committed_offsets_on_s3_storage_survive_a_sigkill_of_the_broker(
    s3: MotoS3,
) -> None:
    with s3.broker() as broker:
        broker.create_topics(["ledger"], partitions=PARTITIONS)
        port = broker.port
        kafka = Clients(broker.bootstrap)
        try:
            produce(kafka.producer(), "ledger", ["x", "y"], start=0, count=6)
            assert len(consume(kafka.consumer("ledger", "auditor"), count=6)) == 6
        finally:
            kafka.close()

        broker.kill()
        broker.restart()

        assert broker.port == port
        kafka = Clients(broker.bootstrap)
        try:
            produce(kafka.producer(), "ledger", ["x", "y"], start=6, count=2)
            after = consume(kafka.consumer("ledger", "auditor"), count=2, settle_s=1.0)
            assert values(after) == ["x:6", "y:7"]
            everything = consume(kafka.consumer("ledger", "newcomer"), count=8)
            assert values(everything) == sorted(f"{'xy'[n % 2]}:{n}" for n in range(8))
            assert all(dict(r.headers)["event-type"] == b"DocumentFiled" for r in everything)
        finally:
            kafka.close()


def test_group_timeouts_come_from_the_environment_and_unknown_overrides_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SESSION_TIMEOUT_ENV, raising=False)
    monkeypatch.delenv(HEARTBEAT_INTERVAL_ENV, raising=False)
    monkeypatch.delenv(FETCH_MAX_WAIT_ENV, raising=False)
    defaults = consumer_settings("127.0.0.1:9092", "g")
    assert (defaults["session_timeout_ms"], defaults["heartbeat_interval_ms"]) == (10000, 3000)
    assert defaults["enable_auto_commit"] is False

    monkeypatch.setenv(SESSION_TIMEOUT_ENV, "4000")
    monkeypatch.setenv(HEARTBEAT_INTERVAL_ENV, "400")
    tuned = consumer_settings("127.0.0.1:9092", "g")
    assert (tuned["session_timeout_ms"], tuned["heartbeat_interval_ms"]) == (4000, 400)

    monkeypatch.setenv(FETCH_MAX_WAIT_ENV, "100")  # lower latency on tansu, more idle CPU
    assert consumer_settings("127.0.0.1:9092", "g")["fetch_max_wait_ms"] == 100

    monkeypatch.setenv(HEARTBEAT_INTERVAL_ENV, "5000")
    with pytest.raises(ValueError, match="must be below"):
        consumer_settings("127.0.0.1:9092", "g")
    with pytest.raises(ValueError, match="linger"):
        producer_settings("127.0.0.1:9092", lingerms=5)
