"""Faults the bus must survive: a relay killed mid-stream, a broker frozen for 10 s."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from kafka import KafkaProducer
from structlog.testing import capture_logs

from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.sqldb import Database
from tests.bus_support import RecordingProjection, read_topics
from tests.integration.test_consumer_runtime import drain, kafka_runtime
from tests.support import PDF, open_office

RELAY_BIN = Path(sys.executable).parent / "lucy-events"


def seed(app: LucyApplication, clients: int = 6, documents: int = 150) -> None:
    office = open_office(app)
    for n in range(clients):
        client_id = office.new_client(name=f"Client {n}")
        app.receive_documents([
            IncomingDocument(office.firm_id, client_id, PDF + str(i).encode(), f"{i}.pdf",
                             "application/pdf", "email", document_type="receipt")
            for i in range(documents)
        ], office.admin)


def relay_position(db: Database) -> int:
    with db.transaction() as tx:
        positions.create_table(tx)
        return positions.load(tx, "relay").get(("log", 0), 0)


def start_relay(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(RELAY_BIN), "relay", "--batch-size", "40"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _stat(int(entry))[1:2] == [str(pid)]:
            found.append(int(entry))
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    return _stat(pid)[:1] not in ([], ["Z"])


def _stat(pid: int) -> list[str]:
    try:  # the command name may hold spaces: the fields start after its closing ")"
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.postgres
def test_a_relay_killed_mid_stream_and_restarted_loses_nothing_and_keeps_client_order(
    broker, postgres_url, clock
):
    broker.create_topics(TOPICS)
    app = LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore(), clock=clock)
    # Enough events that the relay is still publishing when it is killed: it relays about
    # ten thousand a second, and a few hundred went by between a look and the kill.
    seed(app, documents=1500)
    head = app.recorder.max_notification_id()
    db = Database.from_url(postgres_url)
    env = {**os.environ, "LUCY_DATABASE_URL": postgres_url, "LUCY_KAFKA_BOOTSTRAP":
           broker.bootstrap, "LUCY_LOG_FORMAT": "json"}
    first = start_relay(env)
    wait_for(lambda: relay_position(db) >= 200, 30, "the relay to be mid-stream")
    helpers = children_of(first.pid)  # its reader process (and multiprocessing's tracker)
    assert helpers
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = relay_position(db)
    assert killed_at < head
    wait_for(lambda: not any(map(running, helpers)), 10,
             "the killed relay's reader process to exit")  # no orphan reads on
    second = start_relay(env)
    wait_for(lambda: relay_position(db) == head, 60, "the restarted relay to catch up")
    helpers = children_of(second.pid)
    [reader] = [pid for pid in helpers if b"spawn_main" in Path(f"/proc/{pid}/cmdline")
                .read_bytes()]
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=15) == 0  # a clean stop on SIGTERM
    assert not running(reader)  # stopped and joined by the relay
    wait_for(lambda: not any(map(running, helpers)), 10, "the relay's helpers to exit")

    records = read_topics(broker.bootstrap, TOPICS, expect=head)
    codec = AvroCodec()
    first_seen: dict[bytes, list[int]] = defaultdict(list)
    event_ids = set()
    for record in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
        event = codec.decode(record.value)
        if event.event_id not in event_ids:
            event_ids.add(event.event_id)
            first_seen[record.key].append(event.notification_id)
    assert len(event_ids) == head  # every event at least once
    for sequence in first_seen.values():
        assert sequence == sorted(sequence)  # one client's events in order

    clean = RecordingProjection(db, "clean_run")
    drain(ConsumerRuntime(LogSource(app, db, clean.name, clean.topics), clean,
                          StoreDeadLetters(db), poll_timeout=0.05))
    from_kafka = RecordingProjection(db, "after_kill")
    runtime = kafka_runtime(broker, from_kafka)
    try:
        wait_for(lambda: runtime.step() == 0 and len(from_kafka.rows()) == head, 60,
                 "the Kafka consumer to catch up")
    finally:
        runtime.source.close()
    assert from_kafka.rows() == clean.rows()
    db.close()
    app.close()


def test_a_frozen_broker_makes_the_relay_back_off_while_commands_go_on(broker, tmp_path, clock):
    broker.create_topics(TOPICS)
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    office = open_office(app)
    client_id = office.new_client()
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    impatient = {"request_timeout_ms": 1500, "delivery_timeout_ms": 2000, "linger_ms": 0,
                 "max_block_ms": 2000}
    relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(broker.bootstrap,
                                                                     **impatient)),
                  poll_timeout=0.1)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    with capture_logs() as logs:
        thread.start()
        wait_for(lambda: relay.lag() == 0, 20, "the relay to catch up before the freeze")
        broker.freeze()
        frozen_at = time.monotonic()
        slowest = 0.0
        while time.monotonic() - frozen_at < 10:
            started = time.monotonic()
            office.receive(client_id)
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        assert relay.lag() > 0  # nothing could be published meanwhile
        broker.thaw()
        wait_for(lambda: relay.lag() == 0, 60, "the relay to catch up after the freeze")
        stop.set()
        thread.join(timeout=10)
    assert slowest < 1.0  # the application never waited for the broker
    assert any(e["event"] == "relay batch not acknowledged; backing off" for e in logs)
    head = app.recorder.max_notification_id()
    ids = {AvroCodec().decode(r.value).event_id
           for r in read_topics(broker.bootstrap, TOPICS, expect=head)}
    assert len(ids) == head
    db.close()
    app.close()
