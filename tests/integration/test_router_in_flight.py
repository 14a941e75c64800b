"""The router keeps polling while deliveries are in flight: a slow package holds back
only its own client, each partition is committed up to its lowest unfinished message,
and a crash redelivers only what was not finished, without a second copy."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from uuid import UUID

import pytest
from kafka import TopicPartition
from kafka.partitioner.default import murmur2

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bootstrap import kafka_dead_letters, kafka_source
from lucy_events.bus import positions
from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import Batch, ConsumerRuntime, Delivery, Source
from lucy_events.config import persistence_env
from lucy_events.routers.integrations.base import Delivered, Outgoing, Target
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.conftest import FAST_GROUP
from tests.integration.test_consumer_runtime import drain, published
from tests.integration.test_router import RecordingPackage, linked_client, status
from tests.support import Office, open_office


class ProcessDied(BaseException):
    """Stands for the process dying: nothing after this point runs, nothing is caught."""


class SlowPackage(RecordingPackage):
    """Accepts every document; the ones it is told to hold it keeps (the package has
    them) and then hangs until the gate opens, after which the caller "dies"."""

    def __init__(self, hold: set[UUID]) -> None:
        super().__init__()
        self.hold = {f"lucy-{d.hex}" for d in hold}
        self.gate = threading.Event()
        self.delivered: Counter[str] = Counter()

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        delivered = super().deliver(outgoing, target)
        self.delivered[outgoing.delivery_key] += 1
        if outgoing.delivery_key in self.hold:
            self.gate.wait(30)
            raise ProcessDied
        return delivered


class WatchedRouter(Router):
    """Notes every send request it is handed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.handed: list[UUID] = []

    def handle_one(self, delivery: Delivery) -> None:
        self.handed.append(delivery.event.aggregate_id)
        super().handle_one(delivery)


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


def requested(office: Office, client_id: UUID) -> UUID:
    document_id = office.receive(client_id)
    office.app.request_send(office.firm_id, document_id, office.admin)
    return document_id


def quiet_client(office: Office) -> UUID:
    client_id = linked_client(office)
    office.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    return client_id


def pump(runtime: ConsumerRuntime, until: Callable[[], bool], timeout: float = 20) -> None:
    """Run the runtime as ``run`` does (not waiting for what is in flight) until ..."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "the router did not get there in time"
        runtime.step(settle=False)


def log_runtime(app, db, router: Router) -> ConsumerRuntime:
    source: Source = LogSource(app, db, router.name, router.topics)
    return ConsumerRuntime(source, router, StoreDeadLetters(db), poll_timeout=0.02)


def committed_in_log(db: Database) -> int:
    with db.transaction() as tx:
        return positions.load(tx, "router").get(("log", 0), 0)


def test_a_slow_package_holds_back_neither_another_client_nor_more_than_its_own_commit(
        app, read_db):
    office = open_office(app)
    slow_client, quick_client = quiet_client(office), quiet_client(office)
    slow = requested(office, slow_client)
    slow_request = app.recorder.max_notification_id()
    quick = [requested(office, quick_client) for _ in range(3)]
    package = SlowPackage(hold={slow})
    runtime = log_runtime(app, read_db, Router(app, lambda code: package))

    pump(runtime, until=lambda: all(status(office, d) is DocumentStatus.SENT for d in quick))
    runtime.step(settle=False)  # commits what finished
    assert status(office, slow) is DocumentStatus.SENDING
    # Everything before the slow one's request is done; it and what follows is not yet
    # committed, though the later requests were delivered.
    assert committed_in_log(read_db) == slow_request - 1
    package.gate.set()  # the slow delivery ends (its thread "dies": it records nothing)
    runtime._pipelined.close()  # type: ignore[union-attr]
    assert committed_in_log(read_db) == slow_request - 1


class GatedPackage(RecordingPackage):
    """Accepts every document in the order it is handed them; the first waits for the
    gate (until every request has been handed to the router's workers)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.order: list[UUID] = []

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        if not self.order:
            self.gate.wait(30)
        self.order.append(outgoing.document_id)
        return super().deliver(outgoing, target)


def test_clients_take_turns_a_document_at_a_time_so_a_long_queue_does_not_hold_a_worker(
        app, read_db):
    office = open_office(app)
    busy_client, other_client = quiet_client(office), quiet_client(office)
    busy = [requested(office, busy_client) for _ in range(3)]
    other = requested(office, other_client)
    package = GatedPackage()
    runtime = log_runtime(app, read_db, Router(app, lambda code: package, workers=1))

    runtime.step(settle=False)  # all four requests polled and handed out
    package.gate.set()
    pump(runtime, until=lambda: len(package.order) == 4)

    # The one worker went back to the queue after the busy client's first document: the
    # other client's came next, not after the busy client's whole queue. Each client's
    # own documents kept their order.
    assert package.order == [busy[0], other, busy[1], busy[2]]
    runtime._pipelined.close()  # type: ignore[union-attr]


class CountedPolls(Source):
    """A source that counts the polls asked of it."""

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self.polls = 0

    def poll(self, max_records: int, timeout: float) -> Batch:
        self.polls += 1
        return self.inner.poll(max_records, timeout)

    def commit(self, batch: Batch) -> None:
        self.inner.commit(batch)


def test_while_a_whole_round_of_clients_waits_for_a_worker_the_router_polls_no_more(
        app, read_db):
    office = open_office(app)
    first, second = quiet_client(office), quiet_client(office)
    requested(office, first)
    requested(office, second)
    package = GatedPackage()
    router = Router(app, lambda code: package, workers=1)
    source = CountedPolls(LogSource(app, read_db, router.name, router.topics))
    runtime = ConsumerRuntime(source, router, StoreDeadLetters(read_db), poll_timeout=0.02)

    runtime.step(settle=False)  # both requests polled; the one worker takes the first
    polled = source.polls
    for _ in range(5):  # the second client waits for the one worker: nothing to poll for
        runtime.step(settle=False)
    assert source.polls == polled
    package.gate.set()
    pump(runtime, until=lambda: len(package.order) == 2)
    for _ in range(5):  # nobody waits for a worker any more: polling goes on
        runtime.step(settle=False)
    assert source.polls > polled
    runtime._pipelined.close()  # type: ignore[union-attr]


def test_a_crash_mid_flight_redelivers_the_unfinished_and_the_delivery_key_stops_a_copy(
        app, read_db):
    office = open_office(app)
    slow_client, quick_client = quiet_client(office), quiet_client(office)
    slow = requested(office, slow_client)
    quick = [requested(office, quick_client) for _ in range(2)]
    package = SlowPackage(hold={slow})
    runtime = log_runtime(app, read_db, Router(app, lambda code: package))
    pump(runtime, until=lambda: package.delivered[f"lucy-{slow.hex}"] == 1 and all(
        status(office, d) is DocumentStatus.SENT for d in quick))
    runtime.step(settle=False)
    # The package has the slow one, we do not know it yet: the commit stays below it.
    # The process dies here: its runtime is never closed, nothing more is committed.

    package.hold = set()
    restarted = WatchedRouter(app, lambda code: package)
    drain(log_runtime(app, read_db, restarted), idle_polls=2)
    assert [status(office, d) for d in (slow, *quick)] == [DocumentStatus.SENT] * 3
    assert package.delivered == Counter({f"lucy-{d.hex}": 1 for d in (slow, *quick)})
    assert app.document(office.firm_id, slow).remote_reference == f"remote-lucy-{slow.hex}"
    # On the log (one partition) the requests after the slow one come again too, and
    # are found handled already.
    assert restarted.handed == [slow, *quick]
    package.gate.set()


def partition_of(client_id: UUID) -> int:
    return (murmur2(str(client_id).encode()) & 0x7FFFFFFF) % 3


def test_on_kafka_each_partition_commits_its_own_finished_work_and_only_the_slow_one_returns(
        app, read_db, broker):
    office = open_office(app)
    slow_client = quiet_client(office)
    quick_client = quiet_client(office)
    while partition_of(quick_client) == partition_of(slow_client):
        quick_client = quiet_client(office)
    slow = requested(office, slow_client)
    quick = [requested(office, quick_client) for _ in range(3)]
    published(app, read_db, broker)
    package = SlowPackage(hold={slow})

    def runtime(router: Router) -> ConsumerRuntime:
        source = kafka_source(broker.bootstrap, router.name, router.topics, **FAST_GROUP)
        return ConsumerRuntime(source, router, kafka_dead_letters(broker.bootstrap, read_db),
                               poll_timeout=0.2)

    first = runtime(Router(app, lambda code: package))
    pump(first, until=lambda: all(status(office, d) is DocumentStatus.SENT for d in quick))
    first.step(settle=False)
    consumer = first.source.consumer  # type: ignore[attr-defined]
    slow_partition = TopicPartition(DOCUMENT_TOPIC, partition_of(slow_client))
    quick_partition = TopicPartition(DOCUMENT_TOPIC, partition_of(quick_client))
    # Only the two clients' documents are on the topic: the quick one's partition is
    # committed to its end, the slow one's up to its send request (its last message).
    assert consumer.committed(quick_partition) == consumer.highwater(quick_partition)
    assert consumer.committed(slow_partition) == consumer.highwater(slow_partition) - 1
    consumer.close()  # the process dies: the group gives its partitions to the next

    package.hold = set()
    restarted = WatchedRouter(app, lambda code: package)
    second = runtime(restarted)
    pump(second, until=lambda: status(office, slow) is DocumentStatus.SENT, timeout=40)
    for _ in range(5):  # anything else that would come again comes now
        second.step(settle=False)
    second._pipelined.close()  # type: ignore[union-attr]
    second.source.close()
    assert restarted.handed == [slow]  # the quick partition was not read again
    assert package.delivered == Counter({f"lucy-{d.hex}": 1 for d in (slow, *quick)})
    package.gate.set()


def test_a_package_linked_just_before_a_send_request_is_the_one_delivered_to(app, read_db):
    office = open_office(app)
    client_id = quiet_client(office)
    package = RecordingPackage()
    runtime = log_runtime(app, read_db, Router(app, lambda code: package))
    first = requested(office, client_id)
    drain(runtime, idle_polls=1)  # the router has the client cached now
    app.unlink_integration(office.firm_id, client_id, office.admin)
    app.link_integration(office.firm_id, client_id, "clearfacts", office.admin,
                         {"purchase_address": "in@clearfacts.example"}, ubl=False)
    second = requested(office, client_id)
    drain(runtime, idle_polls=1)
    targets = {o.document_id: t for o, t in package.received.values()}
    assert (targets[first].package, targets[second].package) == ("octopus", "clearfacts")
    assert targets[second].client_settings == {"purchase_address": "in@clearfacts.example"}
