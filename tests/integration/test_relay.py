"""The relay publishes the event store to Kafka: every event, in order per client, once
acknowledged; a restart resumes with no gap."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
from kafka import KafkaProducer

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.wakeups import PostgresWakeup
from lucy_events.config import persistence_env
from lucy_events.sqldb import Database
from tests.bus_support import read_topics
from tests.support import Office, open_office


def busy_office(app: LucyApplication) -> Office:
    office = open_office(app)
    for name in ("Bakkerij Claes", "Garage Peeters"):
        client_id = office.new_client(name=name)
        office.app.enable_peppol(office.firm_id, client_id, True, True, office.admin)
        for _ in range(3):
            document_id = office.receive(client_id)
            office.app.request_send(office.firm_id, document_id, office.admin)
    return office


def make_relay(app: LucyApplication, db: Database, bootstrap: str, **options) -> Relay:
    return Relay(app, db, lambda: KafkaProducer(**producer_settings(bootstrap)), **options)


@pytest.fixture
def sqlite_app(tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield app
    app.close()


def test_the_relay_publishes_every_event_keyed_by_client_with_the_contract_headers(
    broker, sqlite_app, tmp_path
):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    relay = make_relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                       broker.bootstrap)
    while relay.publish_next():
        pass
    total = sqlite_app.recorder.max_notification_id()
    records = read_topics(broker.bootstrap, TOPICS, expect=total)
    assert len(records) == total == relay.position
    codec = AvroCodec()
    by_key = defaultdict(list)
    for record in records:
        event = codec.decode(record.value)
        headers = dict(record.headers)
        assert headers["event-type"] == event.type.encode()
        assert headers["event-id"] == event.event_id.encode()
        assert int(headers["schema-id"]) == codec.schema_id(event.type)
        assert record.topic == event.topic
        assert record.key == str(event.client_id or event.firm_id).encode()
        by_key[(record.topic, record.key)].append((record.offset, event.notification_id))
    for sequence in by_key.values():  # one client's events keep their order
        notification_ids = [n for _, n in sorted(sequence)]
        assert notification_ids == sorted(notification_ids)
    assert len({key for _, key in by_key}) == 3  # the firm and its two clients


def test_a_restarted_relay_resumes_where_it_stopped_with_no_gap(broker, sqlite_app, tmp_path):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    read_db_url = f"sqlite:///{tmp_path}/read.sqlite"
    first = make_relay(sqlite_app, Database.from_url(read_db_url), broker.bootstrap, batch_size=7)
    first.publish_next()
    first.publish_next()
    first.settle()  # the second batch was still in flight
    assert first.position == 14
    second = make_relay(sqlite_app, Database.from_url(read_db_url), broker.bootstrap)
    assert second.position == 14
    while second.publish_next():
        pass
    total = sqlite_app.recorder.max_notification_id()
    records = read_topics(broker.bootstrap, TOPICS, expect=total)
    ids = sorted(AvroCodec().decode(r.value).notification_id for r in records)
    assert ids == list(range(1, total + 1))


@pytest.mark.postgres
def test_on_postgresql_the_relay_is_woken_by_notify_rather_than_by_its_poll(
    broker, postgres_url, clock
):
    broker.create_topics(TOPICS)
    app = LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore(), clock=clock)
    office = open_office(app)
    wakeup = PostgresWakeup(postgres_url.split("?")[0], app.recorder.channel_name)
    relay = make_relay(app, Database.from_url(postgres_url), broker.bootstrap,
                       wakeup=wakeup, poll_timeout=30)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while relay.position < app.recorder.max_notification_id() and time.monotonic() < deadline:
            time.sleep(0.05)
        before = relay.position
        saved_at = time.monotonic()
        office.new_client()
        while relay.position == before and time.monotonic() < saved_at + 10:
            time.sleep(0.01)
        assert relay.position == before + 1
        assert time.monotonic() - saved_at < 5  # far less than the 30 s poll
    finally:
        stop.set()
        wakeup.close()  # interrupts nothing; the relay also closes it on its way out
        thread.join(timeout=35)
        app.close()
