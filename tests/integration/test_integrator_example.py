"""The consumer example of docs/integrators.md, run as an integrator would run it, against
events the application recorded and the real relay published to a real broker (tansu)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from kafka import KafkaProducer

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.avro import schemas_dir
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import SESSION_TIMEOUT_ENV, producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.config import persistence_env
from lucy_events.sqldb import Database
from lucy_events.testing.tansu import BrokerError, TansuBroker, tansu_binary
from tests.conftest import service_missing
from tests.support import Office, open_office

DOCS = Path(__file__).parents[2] / "docs"
EXAMPLE = DOCS / "examples" / "print_client_documents.py"
SYSTEM = Actor.system("test")


@pytest.fixture
def broker() -> Iterator[TansuBroker]:
    try:
        tansu_binary()
    except BrokerError as error:
        service_missing(f"the tansu broker ({error})")
    with TansuBroker() as running:
        running.create_topics(TOPICS, partitions=3)
        yield running


@pytest.fixture
def app(tmp_path: Path) -> Iterator[LucyApplication]:
    application = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                                  blobs=InMemoryBlobStore())
    yield application
    application.close()


def a_month_of_documents(office: Office, client_id: UUID) -> list[tuple[str, UUID]]:
    """Records one client's document events; returns (event type, document id) in order."""
    app, firm_id, admin = office.app, office.firm_id, office.admin
    sent = office.receive(client_id)
    app.request_send(firm_id, sent, admin)
    app.record_sent(sent, "exact-online", f"EO-{sent.hex[:6]}", SYSTEM)
    untyped = office.receive(client_id, document_type=None)
    app.assign_document_type(firm_id, untyped, "sales-invoice", admin)
    app.request_send(firm_id, untyped, admin)
    app.record_send_failure(untyped, "the portal is down", True, SYSTEM)
    app.archive_document(firm_id, sent, admin)
    return [("DocumentReceived", sent), ("SendRequested", sent), ("DocumentSent", sent),
            ("DocumentReceived", untyped), ("DocumentTypeAssigned", untyped),
            ("SendRequested", untyped), ("SendFailed", untyped), ("DocumentArchived", sent)]


def publish_everything(app: LucyApplication, broker: TansuBroker, positions: Path) -> int:
    """Runs the relay until it is idle; `positions` is the file where it keeps its own."""
    relay = Relay(app, Database.from_url(f"sqlite:///{positions}"),
                  lambda: KafkaProducer(**producer_settings(broker.bootstrap)),
                  batch_size=10)  # several batches, as a busy relay publishes
    try:
        while relay.publish_next():
            pass
    finally:
        if relay.producer is not None:
            relay.producer.close(timeout=5)
    return relay.published


def run_example(broker: TansuBroker, client_id: UUID,
                group: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, SESSION_TIMEOUT_ENV: "2000"}  # tansu joins a group in half of it
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), "--bootstrap", broker.bootstrap,
         "--client", str(client_id), "--schemas", str(schemas_dir()),
         "--group", group or f"integrator-{uuid.uuid4().hex[:8]}", "--timeout", "2"],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert run.returncode == 0, run.stderr
    return run


@pytest.mark.kafka
def test_the_example_prints_exactly_one_clients_document_events_in_order(
    app: LucyApplication, broker: TansuBroker, tmp_path: Path
) -> None:
    office = open_office(app)
    bakery = office.new_client()
    garage = office.new_client(name="Garage Peeters", enterprise_number="0417.497.106")
    expected = a_month_of_documents(office, bakery)
    others = a_month_of_documents(office, garage)
    also_expected = office.receive(bakery)  # after the other client's: order is by time
    expected.append(("DocumentReceived", also_expected))
    stored = app.recorder.max_notification_id()
    assert publish_everything(app, broker, tmp_path / "relay.sqlite") == stored
    # A relay that lost its position publishes everything again: at least once.
    assert publish_everything(app, broker, tmp_path / "lost.sqlite") == stored

    run = run_example(broker, bakery)

    printed = [(line.split()[1], UUID(line.split()[2])) for line in run.stdout.splitlines()]
    assert printed == [(kind, document) for kind, document in expected]
    assert not {document for _, document in others} & {document for _, document in printed}
    assert "skipped" not in run.stderr


@pytest.mark.kafka
def test_a_rerun_in_the_same_group_prints_only_what_is_new(
    app: LucyApplication, broker: TansuBroker, tmp_path: Path
) -> None:
    office = open_office(app)
    bakery = office.new_client()
    office.receive(bakery)
    publish_everything(app, broker, tmp_path / "relay.sqlite")
    first = run_example(broker, bakery, group="bakery-integration")
    newer = office.receive(bakery)
    publish_everything(app, broker, tmp_path / "relay.sqlite")

    second = run_example(broker, bakery, group="bakery-integration")

    assert len(first.stdout.splitlines()) == 1
    assert [UUID(line.split()[2]) for line in second.stdout.splitlines()] == [newer]


def test_the_integrators_guide_quotes_the_example_as_it_is() -> None:
    assert EXAMPLE.read_text().rstrip() in (DOCS / "integrators.md").read_text()
