"""The relay publishes the event store to Kafka: every event, in order per client, once
acknowledged; a restart resumes with no gap. Each test runs with the reader in the relay's
own process and in a child process (as ``lucy-events relay`` runs it)."""

from __future__ import annotations

import gc
import itertools
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest
from eventsourcing.persistence import StoredEvent
from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError

from lucy_events.application import LucyApplication
from lucy_events.audit.person_keys import PersonKeys, person_id
from lucy_events.audit.sealing import ERASED
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay, UnpublishableEvent, next_read_at
from lucy_events.bus.relay_reader import AdaptiveReader, ProcessReader, ReaderError
from lucy_events.bus.relay_records import Batch, BatchReader, InlineReader
from lucy_events.bus.stored_records import stored_record
from lucy_events.bus.wakeups import InProcessWakeup, PostgresWakeup
from lucy_events.config import persistence_env
from lucy_events.gc_pause import SPACED_THRESHOLD
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


MakeRelay = Callable[..., Relay]


@pytest.fixture(params=["inline", "process", "adaptive"])
def make_relay(request) -> Iterator[MakeRelay]:
    """Builds relays with the reader of the test's parameter; closes them (and their reader
    processes) afterwards."""
    made: list[Relay] = []

    def make(app: LucyApplication, db: Database, bootstrap: str, **options) -> Relay:
        relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(bootstrap)),
                      reader=request.param, **options)
        made.append(relay)
        return relay

    yield make
    for relay in made:
        relay.close()


@pytest.fixture
def sqlite_app(tmp_path, clock):
    url = f"sqlite:///{tmp_path}/events.sqlite"  # personal fields sealed, as deployed
    app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore(), clock=clock,
                          person_keys=PersonKeys.at(url))
    yield app
    app.close()


def test_the_relay_publishes_every_event_keyed_by_client_with_the_contract_headers(
    broker, sqlite_app, tmp_path, make_relay
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


def test_a_restarted_relay_resumes_where_it_stopped_with_no_gap(
    broker, sqlite_app, tmp_path, make_relay
):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    read_db_url = f"sqlite:///{tmp_path}/read.sqlite"
    first = make_relay(sqlite_app, Database.from_url(read_db_url), broker.bootstrap, batch_size=7)
    first.publish_next()
    first.publish_next()
    first.settle()  # the second batch was still in flight
    assert first.position == 14
    first.close()
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
    broker, postgres_url, clock, make_relay
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


def test_a_failed_batch_is_sent_again_from_the_stored_position(
    broker, sqlite_app, tmp_path, make_relay
):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    relay = make_relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                       broker.bootstrap, batch_size=5)
    relay.publish_next()
    relay.publish_next()  # settles the first batch; the second is in flight
    assert (relay.position, relay.sent_up_to) == (5, 10)

    def broker_gone(*args, **kwargs):
        raise KafkaTimeoutError("no broker")

    relay.producer.send = broker_gone  # type: ignore[union-attr, method-assign]
    with pytest.raises(KafkaTimeoutError):
        relay.publish_next()
    assert (relay.position, relay.sent_up_to) == (5, 5)  # the unacknowledged are forgotten
    while relay.publish_next():  # a fresh producer, from the stored position
        pass
    total = sqlite_app.recorder.max_notification_id()
    assert relay.position == total
    records = read_topics(broker.bootstrap, TOPICS, expect=total + 5)
    ids = [AvroCodec().decode(r.value).notification_id for r in records]
    assert sorted(set(ids)) == list(range(1, total + 1))


def test_a_stored_event_that_cannot_be_encoded_stops_the_relay_right_before_it(
    broker, sqlite_app, tmp_path, make_relay
):
    broker.create_topics(TOPICS)
    office = open_office(sqlite_app)
    before = sqlite_app.recorder.max_notification_id()
    state = b'{"what": "an event of a class that no longer exists"}'
    sqlite_app.recorder.insert_events([StoredEvent(
        originator_id=uuid.uuid4(), originator_version=1,
        topic="lucy_events.aggregates.gone:Gone.Vanished", state=state,
    )])
    office.new_client()
    relay = make_relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                       broker.bootstrap)
    with pytest.raises(UnpublishableEvent) as stopped:
        while relay.publish_next():
            pass
    assert f"stored event {before + 1} (lucy_events.aggregates.gone:Gone.Vanished" in str(
        stopped.value)
    assert "KeyError" in str(stopped.value)
    assert relay.position == before  # everything before it is published, nothing after
    published = read_topics(broker.bootstrap, TOPICS, expect=before)
    assert sorted(AvroCodec().decode(r.value).notification_id for r in published) == list(
        range(1, before + 1))
    with pytest.raises(UnpublishableEvent):  # started again, it stops at the same event
        relay.publish_next()
    assert relay.position == before


class ThresholdsSeen(BatchReader):
    """Reads with another reader and notes the collector's thresholds at each read."""

    def __init__(self, reader: BatchReader) -> None:
        self.reader = reader
        self.thresholds: list[tuple[int, ...]] = []

    def read(self, after: int, limit: int) -> Batch:
        self.thresholds.append(gc.get_threshold())
        return self.reader.read(after, limit)

    def close(self) -> None:
        self.reader.close()


def test_the_relay_reads_and_sends_its_batches_with_the_collector_spaced(
    broker, sqlite_app, tmp_path
):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    before = gc.get_threshold()
    reader = ThresholdsSeen(InlineReader(sqlite_app, AvroCodec()))
    relay = Relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                  lambda: KafkaProducer(**producer_settings(broker.bootstrap)),
                  reader=reader, batch_size=5)
    try:
        while relay.publish_next():
            pass
    finally:
        relay.close()
    assert relay.position == sqlite_app.recorder.max_notification_id()
    assert len(reader.thresholds) > 2
    assert {t[0] for t in reader.thresholds} == {max(before[0], SPACED_THRESHOLD)}
    assert gc.get_threshold() == before  # as it was, between batches


def test_the_reader_reads_and_encodes_with_the_collector_spaced(sqlite_app, monkeypatch):
    busy_office(sqlite_app)
    before = gc.get_threshold()
    select = sqlite_app.recorder.select_notifications
    seen: list[tuple[int, ...]] = []

    def noting(*args, **kwargs):
        seen.append(gc.get_threshold())
        return select(*args, **kwargs)

    monkeypatch.setattr(sqlite_app.recorder, "select_notifications", noting)
    batch = InlineReader(sqlite_app, AvroCodec()).read(0, 10)
    assert len(batch.records) == 10
    assert seen == [(max(before[0], SPACED_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before


def keys_url(app: LucyApplication) -> str | None:
    """Where the reader process finds the person keys, as the relay tells it."""
    return app.person_keys.url if app.person_keys is not None else None


def test_the_reader_process_answers_what_the_inline_reader_answers(sqlite_app):
    busy_office(sqlite_app)
    sealed = sqlite_app.recorder.select_notifications(1, 1000)
    assert any(b'"sealed"' in n.state for n in sealed)  # the child must open them too
    total = sqlite_app.recorder.max_notification_id()
    inline = InlineReader(sqlite_app, AvroCodec())
    process = ProcessReader(sqlite_app.env, keys_url=keys_url(sqlite_app))
    try:  # in step (its batch read ahead), starting over elsewhere, the end
        for after, limit in [(0, 7), (7, 7), (14, 7), (3, 5), (8, 5), (total, 10)]:
            assert process.read(after, limit) == inline.read(after, limit)
        process.read(3, 5)
        larger = process.read(8, 100)  # may be the batch read ahead: the next ones all the same
        assert 0 < len(larger.records) <= 100
        assert larger == inline.read(8, len(larger.records))
    finally:
        process.close()
    assert process.pid is None


def test_a_reader_process_that_dies_is_replaced_on_the_next_read(
    broker, sqlite_app, tmp_path
):
    broker.create_topics(TOPICS)
    busy_office(sqlite_app)
    reader = ProcessReader(sqlite_app.env, keys_url=keys_url(sqlite_app))
    relay = Relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                  lambda: KafkaProducer(**producer_settings(broker.bootstrap)),
                  batch_size=5, reader=reader)
    try:
        relay.publish_next()
        first_pid = reader.pid
        assert first_pid is not None
        os.kill(first_pid, 9)
        with pytest.raises(ReaderError, match="gone"):
            relay.publish_next()
        while relay.publish_next():
            pass
        assert reader.pid not in (None, first_pid)
        total = sqlite_app.recorder.max_notification_id()
        assert relay.position == total
        ids = sorted(AvroCodec().decode(r.value).notification_id
                     for r in read_topics(broker.bootstrap, TOPICS, expect=total))
        assert ids == list(range(1, total + 1))
    finally:
        relay.close()
    assert reader.pid is None  # stopped and joined


class Counting(BatchReader):
    """A real reader, counting the reads it answered."""

    def __init__(self, reader: BatchReader) -> None:
        self.reader, self.reads = reader, 0

    def read(self, after: int, limit: int) -> Batch:
        self.reads += 1
        return self.reader.read(after, limit)

    def close(self) -> None:
        self.reader.close()


class Timed(BatchReader):
    """A real reader, noting when each read started and how many records it found."""

    def __init__(self, reader: BatchReader) -> None:
        self.reader, self.reads = reader, []

    def read(self, after: int, limit: int) -> Batch:
        started = time.monotonic()
        batch = self.reader.read(after, limit)
        self.reads.append((started, len(batch.records)))
        return batch

    def close(self) -> None:
        self.reader.close()


def test_following_saves_close_together_the_relay_reads_once_an_interval_and_misses_none(
    broker, sqlite_app, tmp_path
):
    broker.create_topics(TOPICS)
    office = open_office(sqlite_app)
    reader = Timed(InlineReader(sqlite_app, AvroCodec()))
    relay = Relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                  lambda: KafkaProducer(**producer_settings(broker.bootstrap)),
                  wakeup=InProcessWakeup(sqlite_app.subscribe_saved()), poll_timeout=30,
                  follow_interval=0.2, reader=reader)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        saves = 40  # one after another: on a slow machine a save takes tens of ms
        for _ in range(saves):
            office.new_client()
        total = sqlite_app.recorder.max_notification_id()
        deadline = time.monotonic() + 15
        while relay.position < total and time.monotonic() < deadline:
            time.sleep(0.01)
        assert relay.position == total
    finally:
        stop.set()
        thread.join(timeout=35)
    found = [at for at, count in reader.reads if count]
    assert len(found) * 3 <= saves  # not one read a save
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(found))
    ids = sorted(AvroCodec().decode(r.value).notification_id
                 for r in read_topics(broker.bootstrap, TOPICS, expect=total))
    assert ids == list(range(1, total + 1))


def test_the_relay_reads_at_once_after_a_full_batch_and_an_interval_after_a_short_one():
    assert next_read_at(10.0, 1000, 1000, 0.02) == 10.0
    assert next_read_at(10.0, 999, 1000, 0.02) == 10.02
    assert next_read_at(10.0, 0, 1000, 0.02) == 10.02


def test_the_adaptive_reader_catches_up_in_the_child_and_follows_the_head_in_process(
    sqlite_app, clock
):
    office = busy_office(sqlite_app)  # a backlog
    bulk = Counting(ProcessReader(sqlite_app.env, keys_url=keys_url(sqlite_app)))
    live = Counting(InlineReader(sqlite_app, AvroCodec()))
    reader = AdaptiveReader(bulk, live, following=10)
    try:
        after, read = 0, 0
        while (batch := reader.read(after, 20)).records:
            after, read = batch.last, read + len(batch.records)
        assert read == sqlite_app.recorder.max_notification_id()
        assert bulk.reads >= read // 20 and live.reads <= 1  # the backlog: in the child
        bulk_reads, live_reads = bulk.reads, live.reads
        client_id = office.new_client()
        after = sqlite_app.recorder.max_notification_id()
        for _ in range(3):  # following the head, an event at a time: in-process
            office.receive(client_id)
            assert len(reader.read(after, 20).records) == 1
            after += 1
        assert (bulk.reads, live.reads) == (bulk_reads, live_reads + 3)
        for _ in range(45):  # a burst: the first read finds it, the next go to the child
            office.receive(client_id)
        assert [len(reader.read(after + n, 20).records) for n in (0, 20, 40)] == [20, 20, 5]
        assert (bulk.reads, live.reads) == (bulk_reads + 2, live_reads + 4)
    finally:
        reader.close()


def test_integrators_receive_personal_fields_in_clear_then_person_erased_to_honour(
    broker, sqlite_app, tmp_path, make_relay
):
    broker.create_topics(TOPICS)
    office = busy_office(sqlite_app)
    relay = make_relay(sqlite_app, Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"),
                       broker.bootstrap)
    while relay.publish_next():
        pass
    contact = "anna@bakkerij.example"  # both clients' contact (tests.support.CONTACT)
    person = person_id(office.firm_id, "email", contact)
    sqlite_app.record_erasure(office.firm_id, person, "email", "request 5", office.admin)
    assert sqlite_app.person_keys is not None and sqlite_app.person_keys.destroy(person)
    while relay.publish_next():
        pass
    total = sqlite_app.recorder.max_notification_id()
    codec = AvroCodec()
    events = [codec.decode(r.value) for r in read_topics(broker.bootstrap, TOPICS,
                                                         expect=total)]
    created = [e.data["contact_person"]["email"] for e in events if e.type == "ClientCreated"]
    assert created == [contact, contact]  # published before the erasure, as they were
    [erased] = [e for e in events if e.type == "PersonErased"]
    assert erased.data["person_id"] == person and erased.data["identified_by"] == "email"
    assert erased.topic == "lucy.firm-events.v1"
    republished = [stored_record(n, sqlite_app.mapper)[2]  # what a republish sends now
                   for n in sqlite_app.recorder.select_notifications(1, total)]
    assert [r["contact_person"]["email"] for r in republished
            if "contact_person" in r] == [ERASED, ERASED]
