"""One consumer runtime, two sources: Kafka (consumer group) and the notification log.
At least once in, exactly one effect out; poison is parked and the consumer goes on."""

from __future__ import annotations

import pytest
from kafka import KafkaProducer

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bootstrap import kafka_dead_letters, kafka_source
from lucy_events.bus.catalogue import CLIENT_TOPIC, TOPICS
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.sqldb import Database
from tests.bus_support import RecordingProjection, read_topics
from tests.conftest import FAST_GROUP
from tests.integration.test_relay import busy_office


@pytest.fixture
def app(tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield app
    app.close()


@pytest.fixture
def read_db(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    yield db
    db.close()


def drain(runtime: ConsumerRuntime, idle_polls: int = 3) -> None:
    idle = 0
    while idle < idle_polls:
        idle = idle + 1 if runtime.step() == 0 else 0


def published(app: LucyApplication, read_db: Database, broker) -> int:
    broker.create_topics(TOPICS)
    relay = Relay(app, read_db, lambda: KafkaProducer(**producer_settings(broker.bootstrap)))
    while relay.publish_next():
        pass
    return relay.position


def kafka_runtime(broker, projection, group="projector", **options) -> ConsumerRuntime:
    source = kafka_source(broker.bootstrap, group, projection.topics, **FAST_GROUP)
    return ConsumerRuntime(source, projection, kafka_dead_letters(broker.bootstrap, projection.db),
                           poll_timeout=0.5, **options)


def test_the_log_source_feeds_a_projection_every_event_in_the_stores_order(app, read_db):
    busy_office(app)
    projection = RecordingProjection(read_db)
    runtime = ConsumerRuntime(LogSource(app, read_db, projection.name, projection.topics),
                              projection, StoreDeadLetters(read_db),
                              poll_timeout=0.05)
    drain(runtime)
    rows = projection.rows()
    assert [r[3] for r in rows] == list(range(1, app.recorder.max_notification_id() + 1))


def test_a_batch_delivered_again_has_no_second_effect(app, read_db):
    busy_office(app)
    projection = RecordingProjection(read_db)
    source = LogSource(app, read_db, projection.name, projection.topics)
    batch = source.poll(100, 0.1)
    projection.handle(batch.deliveries)
    projection.handle(batch.deliveries)  # redelivered, e.g. after a crash before commit
    assert len(projection.rows()) == len(batch.deliveries)
    assert projection.position("log", 0) == batch.deliveries[-1].position.offset


def test_a_restarted_log_consumer_resumes_after_its_last_position(app, read_db):
    office = busy_office(app)
    projection = RecordingProjection(read_db)
    drain(ConsumerRuntime(LogSource(app, read_db, projection.name, projection.topics),
                          projection, StoreDeadLetters(read_db), poll_timeout=0.05))
    seen = len(projection.rows())
    office.new_client(name="Late Arrival")
    restarted = ConsumerRuntime(LogSource(app, read_db, projection.name, projection.topics),
                                projection, StoreDeadLetters(read_db), poll_timeout=0.05)
    drain(restarted)
    assert restarted.processed == 1
    assert len(projection.rows()) == seen + 1


def test_a_message_refused_as_invalid_is_parked_at_once_and_the_others_are_processed(
    app, read_db
):
    busy_office(app)
    projection = RecordingProjection(read_db)
    source = LogSource(app, read_db, projection.name, projection.topics)
    poison = source.poll(5, 0.1).deliveries[2].event.event_id
    source.cursor = 0
    projection.fail_on = {poison}
    dead_letters = StoreDeadLetters(read_db)
    runtime = ConsumerRuntime(source, projection, dead_letters, poll_timeout=0.05)
    drain(runtime)
    assert poison not in {r[0] for r in projection.rows()}
    assert len(projection.rows()) == app.recorder.max_notification_id() - 1
    [parked] = dead_letters.parked()
    assert parked["event_id"] == poison and "cannot apply" in parked["error"]


def test_kafka_and_the_log_give_a_projection_the_same_state(app, read_db, broker, tmp_path):
    busy_office(app)
    total = published(app, read_db, broker)
    from_log = RecordingProjection(read_db, "from_log")
    drain(ConsumerRuntime(LogSource(app, read_db, from_log.name, from_log.topics),
                          from_log, StoreDeadLetters(read_db), poll_timeout=0.05))
    from_kafka = RecordingProjection(read_db, "from_kafka")
    runtime = kafka_runtime(broker, from_kafka)
    try:
        while len(from_kafka.rows()) < total:
            runtime.step()
    finally:
        runtime.source.close()
    assert from_kafka.rows() == from_log.rows()


def test_kafka_redelivers_what_was_not_committed_without_a_second_effect(app, read_db, broker):
    busy_office(app)
    total = published(app, read_db, broker)
    projection = RecordingProjection(read_db)
    crashing = kafka_source(broker.bootstrap, "projector", projection.topics, **FAST_GROUP)
    handled = 0
    while handled < total:  # processed, then "crash" before committing anything
        batch = crashing.poll(500, 0.5)
        projection.handle(batch.deliveries)
        handled += len(batch.deliveries)
    crashing.consumer.close(autocommit=False)
    runtime = kafka_runtime(broker, projection)
    try:
        while runtime.processed < total:  # the group gets everything again
            runtime.step()
    finally:
        runtime.source.close()
    assert len(projection.rows()) == total


def test_a_garbage_message_is_parked_on_the_dlq_and_the_consumer_goes_on(app, read_db, broker):
    busy_office(app)
    broker.create_topics([CLIENT_TOPIC + ".dlq"])
    total = published(app, read_db, broker)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    producer.send(CLIENT_TOPIC, key=b"someone", value=b"not avro at all",
                  headers=[("origin", b"a test")]).get(timeout=10)
    producer.close()
    projection = RecordingProjection(read_db)
    runtime = kafka_runtime(broker, projection)
    try:
        while runtime.parked < 1 or runtime.processed < total:
            runtime.step()
    finally:
        runtime.source.close()
    assert len(projection.rows()) == total
    [parked] = read_topics(broker.bootstrap, [CLIENT_TOPIC + ".dlq"], expect=1)
    headers = dict(parked.headers)
    assert parked.value == b"not avro at all" and parked.key == b"someone"
    assert headers["origin"] == b"a test"
    assert b"magic byte" in headers["dlq-error"]
    assert headers["dlq-topic"] == CLIENT_TOPIC.encode()
    assert headers["dlq-consumer"] == b"recorder"


def test_a_log_consumer_reaches_the_head_even_when_the_last_events_were_not_for_it(app, read_db):
    office = busy_office(app)
    documents_only = RecordingProjection(read_db, "documents_only")
    documents_only.topics = ("lucy.document-events.v1",)
    runtime = ConsumerRuntime(LogSource(app, read_db, documents_only.name, documents_only.topics),
                              documents_only, StoreDeadLetters(read_db), poll_timeout=0.05)
    drain(runtime)
    office.new_client(name="Only A Client Event")  # nothing for this consumer
    drain(runtime)
    head = app.recorder.max_notification_id()
    assert documents_only.position("log", 0) == head  # so its lag is 0, not 1
