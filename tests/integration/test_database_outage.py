"""A database outage is waited out, never parked: PostgreSQL (a cluster of the test's
own) stops for longer than any timeout under a running relay, projector and router on
Kafka (tansu); when it comes back everything is processed, once, and nothing is parked.
Meanwhile the consumers say they are stalled and the API answers 503 with Retry-After."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from uuid import UUID

import pytest

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import HEARTBEAT_INTERVAL_ENV, SESSION_TIMEOUT_ENV
from lucy_events.bus.status import ConsumerState
from lucy_events.config import Settings
from lucy_events.routers.router import Router
from lucy_events.web import create_app
from tests.bus_support import RecordingProjection
from tests.conftest import service_missing
from tests.integration.test_bus_faults import wait_for
from tests.integration.test_router import RecordingPackage, linked_client
from tests.pg_cluster import ClusterError, OwnPostgres
from tests.support import open_office

OUTAGE_SECONDS = 25  # well past LUCY_DATABASE_TIMEOUT (2 s) and the backoff's 10 s cap


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    try:
        cluster = OwnPostgres()
        cluster.start()
    except ClusterError as error:
        service_missing(f"a PostgreSQL cluster of the test's own ({error})")
    try:
        yield cluster
    finally:
        cluster.remove()


def documents(services: Services, firm_id: UUID, ids: list[UUID]) -> list[DocumentStatus]:
    return [services.app.document(firm_id, d).status for d in ids]


def test_postgresql_stopped_under_the_relay_projector_and_router_parks_nothing(
    own_postgres, broker, tmp_path, monkeypatch
):
    monkeypatch.setenv(SESSION_TIMEOUT_ENV, "2000")  # tansu joins a group in half of it
    monkeypatch.setenv(HEARTBEAT_INTERVAL_ENV, "300")
    broker.create_topics(TOPICS)
    services = bootstrap(Settings.from_env({
        "LUCY_DATA_DIR": str(tmp_path), "LUCY_DATABASE_URL": own_postgres.url,
        "LUCY_KAFKA_BOOTSTRAP": broker.bootstrap, "LUCY_DATABASE_TIMEOUT": "2"}))
    office = open_office(services.app)
    client_id = linked_client(office)
    services.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    token = AccessTokens(services.read_db).issue(office.firm_id, UUID(office.admin.id))
    package = RecordingPackage()
    recorder = RecordingProjection(services.read_db)
    recorder.ensure_tables()
    handlers = [*services.projection_handlers(), recorder,
                Router(services.app, lambda code: package)]
    before = [office.receive(client_id) for _ in range(5)]
    for document_id in before:
        services.app.request_send(office.firm_id, document_id, office.admin)

    stop = threading.Event()
    relay = services.relay(poll_timeout=0.2)
    relay_thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    relay_thread.start()
    head = services.app.recorder.max_notification_id()
    wait_for(lambda: relay.position == head, 60, "the relay to publish the first events")

    own_postgres.stop()  # the consumers start during the outage: every message hits it
    down_at = time.monotonic()
    runner = services.consumer_runner(handlers, poll_timeout=0.2)
    runner.start()
    api = create_app(services).test_client()
    try:
        wait_for(lambda: any(s.state is ConsumerState.STALLED
                             for s in services.consumer_statuses.snapshot()), 30,
                 "a consumer to report itself stalled")
        reply = api.get("/api/v1/clients", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 503 and reply.headers["Retry-After"]
        assert reply.json["error"]["code"] == "unavailable"
        assert api.get("/readyz").status_code == 503
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
        assert relay_thread.is_alive()  # backing off, not gone
        assert all(s.state is not ConsumerState.FAILED
                   for s in services.consumer_statuses.snapshot())
        own_postgres.start()

        after = [office.receive(client_id) for _ in range(3)]  # the store is back
        for document_id in after:
            services.app.request_send(office.firm_id, document_id, office.admin)
        everything = [*before, *after]
        wait_for(lambda: documents(services, office.firm_id, everything)
                 == [DocumentStatus.SENT] * len(everything), 60, "every document sent")
        head = services.app.recorder.max_notification_id()
        wait_for(lambda: relay.position == head and len(recorder.rows()) == head, 60,
                 "every event published and projected")
        wait_for(lambda: all(s.state is ConsumerState.RUNNING
                             for s in services.consumer_statuses.snapshot()), 30,
                 "the consumers to report themselves running again")
    finally:
        runner.stop()
        stop.set()
        relay_thread.join(timeout=15)
    assert runner.failed is None
    assert services.dead_letter_store().list() == []  # nothing parked
    assert len(package.received) == len(everything)  # each delivered once
    assert [r[3] for r in recorder.rows()] == list(range(1, head + 1))
    stalled = services.consumer_statuses.get(recorder.name)
    assert stalled is not None and stalled.retries > 0 and stalled.parked == 0
    assert api.get("/readyz").status_code == 200
    services.close()
