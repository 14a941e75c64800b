"""On Kafka, ops read each consumer group's true lag, named after the handlers that run:
after the relay produced, after the read models consumed, and after a replay."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from lucy_events.bootstrap import Services, bootstrap, kafka_source
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.relay_records import InlineReader
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import Settings
from lucy_events.demo import seed_demo
from lucy_events.projections import PROJECTIONS
from lucy_events.web import create_app
from tests.conftest import FAST_GROUP
from tests.e2e.conftest import Cli, cli_env
from tests.support import open_office


def publish_all(services: Services) -> Counter[str]:
    """Relay the whole store; returns how many records went to each topic.

    One record per produce batch: tansu's end offset is the last *batch*'s base offset + 1
    (docs/kafka-broker-notes.md, "Gaps"), where Kafka's is the last record's + 1. With
    batches of one record both agree, so the figures below are Kafka's."""
    bootstrap_servers = services.kafka_bootstrap()
    before = services.store_head()
    relay = Relay(services.app, services.read_db, lambda: KafkaProducer(
        **producer_settings(bootstrap_servers, batch_size=1)))
    start = relay.position
    while relay.publish_next():
        pass
    relay.settle()
    relay.close()
    assert relay.position == before
    reader = InlineReader(services.app, AvroCodec())
    return Counter(record[0] for record in reader.read(start, 1_000_000).records)


def lag_by_consumer(services: Services) -> dict[tuple[str, str], int]:
    totals: Counter[tuple[str, str]] = Counter()
    for item in services.lag_reader().read():
        totals[(item.consumer, item.topic)] += item.lag
    return dict(totals)


def consume_until_caught_up(services: Services, names: set[str], timeout: float = 120) -> None:
    handlers = [h for h in services.consumer_handlers() if h.name in names]
    # A session long enough to outlive a slow lag query on a busy machine: a member that
    # misses it is rebalanced out and the loop never gets anywhere.
    group = {**FAST_GROUP, "session_timeout_ms": 10_000, "heartbeat_interval_ms": 1_000}
    runtimes = [ConsumerRuntime(kafka_source(services.kafka_bootstrap(), h.name, h.topics,
                                             **group), h, StoreDeadLetters(services.read_db))
                for h in handlers]
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            for _ in range(5):
                for runtime in runtimes:
                    runtime.step()
            lags = lag_by_consumer(services)
            if all(lag == 0 for (name, _), lag in lags.items() if name in names):
                return
        raise AssertionError(f"not caught up: {lags}")
    finally:
        for runtime in runtimes:
            runtime.source.close()


def test_lag_on_kafka_is_true_after_producing_consuming_and_a_replay(tmp_path: Path, broker):
    env = cli_env(tmp_path, LUCY_KAFKA_BOOTSTRAP=broker.bootstrap)
    cli = Cli(env, tmp_path)
    cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    services = bootstrap(Settings.from_env(env))
    try:
        seed_demo(services.app)
        produced = publish_all(services)
        handlers = services.consumer_handlers()
        projections = {h.name for h in services.projection_handlers()}
        assert projections == set(PROJECTIONS)  # the read models, named by their handlers
        projections = {"dashboard", "documents"}  # the two the dashboard's lists come from

        # Produced, nothing consumed: every group has all of its topics' records to read.
        lags = lag_by_consumer(services)
        for handler in handlers:
            for topic in handler.topics:
                assert lags[(handler.name, topic)] == produced[topic], (handler.name, topic)
        assert lags[("relay", "log")] == 0
        out = cli.run("lag").stdout
        assert "projector" not in out
        dashboard = [line.split() for line in out.splitlines() if line.startswith("dashboard ")]
        dashboard_topics = next(h.topics for h in handlers if h.name == "dashboard")
        assert sum(int(fields[-1]) for fields in dashboard) == sum(
            produced[topic] for topic in dashboard_topics)

        reply = create_app(services).test_client().get("/metrics")
        assert reply.status_code == 200
        samples = [s for f in text_string_to_metric_families(reply.get_data(as_text=True))
                   for s in f.samples if s.name == "lucy_consumer_lag"]
        assert sum(s.value for s in samples if s.labels["consumer"] == "router") == (
            produced["lucy.document-events.v1"])

        # Consumed: the read models' groups have nothing left; the routers still do.
        consume_until_caught_up(services, projections)
        lags = lag_by_consumer(services)
        assert all(lags[(name, topic)] == 0 for name, topic in lags if name in projections)
        assert lags[("router", "lucy.document-events.v1")] == produced["lucy.document-events.v1"]

        # A replay rebuilds from the store and leaves no position that would lag for good.
        cli.run("replay")
        lags = lag_by_consumer(services)
        assert not [key for key in lags if key[0] in projections and key[1] == "log"]
        assert all(lags[(name, topic)] == 0 for name, topic in lags if name in projections)

        # New events after the replay: the lag is exactly what was published since.
        office = open_office(services.app, "Late Firm")
        office.receive(office.new_client())
        fresh = publish_all(services)
        lags = lag_by_consumer(services)
        for handler in services.projection_handlers():
            for topic in handler.topics if handler.name in projections else ():
                assert lags[(handler.name, topic)] == fresh[topic]
        assert sum(fresh.values()) == 5  # a firm of three, a client, a document
    finally:
        services.close()
