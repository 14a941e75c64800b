"""The router's decisions, against a package that records what it receives.

The protocol adapters (SMTP, FTP, Exact Online, Yuki, webhook) are tested against real
servers in tests/integration/delivery/; here the question is what the router records.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.recognition.duplicates import DuplicateIndex
from lucy_events.recognition.fields import Recognition
from lucy_events.recognition.worker import RecognitionWorker
from lucy_events.routers.integrations.base import (
    Delivered,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.retrying import delivery_retrying
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.integration.test_consumer_runtime import drain
from tests.support import PDF, Office, open_office


class RecordingPackage(Integration):
    """A package that keeps what it receives; ``failures`` are raised first, in order."""

    def __init__(self) -> None:
        self.received: dict[str, tuple[Outgoing, Target]] = {}
        self.failures: list[Exception] = []
        self.calls = 0

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.received[outgoing.delivery_key] = (outgoing, target)
        return Delivered(f"remote-{outgoing.delivery_key}")

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        return f"remote-{outgoing.delivery_key}" if outgoing.delivery_key in self.received else None


@pytest.fixture
def app(tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield app
    app.close()


@pytest.fixture
def package() -> RecordingPackage:
    return RecordingPackage()


@pytest.fixture
def office(app) -> Office:
    return open_office(app)


@pytest.fixture
def run(app, tmp_path, package):
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    sleeps: list[float] = []
    router = Router(app, lambda code: package,
                    retrying=lambda: delivery_retrying(sleep=sleeps.append))
    # These test documents carry no fields: what decides is the type given on arrival.
    reader = RecognitionWorker(app, DuplicateIndex(db), lambda *a, **k: Recognition(
        method="none", confidence=0.0, reason="a test document"))
    runtimes = [ConsumerRuntime(LogSource(app, db, h.name, h.topics), h, StoreDeadLetters(db),
                                poll_timeout=0.02) for h in (reader, router)]

    def run_all() -> list[float]:
        for _ in range(3):  # each one's events reach the next on the next round
            for runtime in runtimes:
                drain(runtime, idle_polls=1)
        return sleeps

    yield run_all
    db.close()


def linked_client(office: Office, **settings) -> UUID:
    client_id = office.new_client()
    office.app.link_integration(office.firm_id, client_id, "octopus", office.admin,
                                {"purchase_address": "in@octopus.example"}, ubl=False)
    return client_id


def status(office: Office, document_id: UUID) -> DocumentStatus:
    return office.app.document(office.firm_id, document_id).status


def sent_document(office: Office, client_id: UUID) -> UUID:
    document_id = office.receive(client_id)
    office.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    office.app.request_send(office.firm_id, document_id, office.admin)
    return document_id


def test_a_requested_document_is_delivered_and_recorded_sent(office, package, run):
    client_id = linked_client(office)
    office.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    document_id = office.receive(client_id)
    office.app.request_send(office.firm_id, document_id, office.admin)
    run()
    document = office.app.document(office.firm_id, document_id)
    assert document.status is DocumentStatus.SENT
    assert document.remote_reference == f"remote-lucy-{document_id.hex}"
    [(outgoing, target)] = package.received.values()
    assert outgoing.content == PDF and outgoing.client_name == "Bakkerij Claes"
    assert (target.package, target.client_settings) == (
        "octopus", {"purchase_address": "in@octopus.example"})


def test_a_transient_failure_is_retried_with_backoff_then_recorded_failed_and_retryable(
    office, package, run
):
    package.failures = [TransientDeliveryError("SMTP 451 try later")] * 5
    document_id = sent_document(office, linked_client(office))
    sleeps = run()
    document = office.app.document(office.firm_id, document_id)
    assert (document.status, document.failure_reason, document.retryable) == (
        DocumentStatus.FAILED, "SMTP 451 try later", True)
    assert package.calls == 5 and len(sleeps) == 4
    assert sleeps == sorted(sleeps) and sleeps[0] >= 0.5 and sleeps[-1] <= 30  # growing, bounded


def test_the_packages_retry_after_is_honoured(office, package, run):
    package.failures = [TransientDeliveryError("429", retry_after=12.0)]
    document_id = sent_document(office, linked_client(office))
    sleeps = run()
    assert len(sleeps) == 1 and 12.0 <= sleeps[0] <= 13.0
    assert status(office, document_id) is DocumentStatus.SENT


def test_a_permanent_failure_is_recorded_at_once_without_retrying(office, package, run):
    package.failures = [PermanentDeliveryError("535 authentication failed")]
    document_id = sent_document(office, linked_client(office))
    sleeps = run()
    document = office.app.document(office.firm_id, document_id)
    assert (document.status, document.retryable, sleeps) == (DocumentStatus.FAILED, False, [])
    assert package.calls == 1


def test_a_refusal_by_the_package_is_recorded_as_rejected(office, package, run):
    package.failures = [RejectedByPackage("duplicate invoice number")]
    document_id = sent_document(office, linked_client(office))
    run()
    document = office.app.document(office.firm_id, document_id)
    assert (document.status, document.failure_reason) == (
        DocumentStatus.REJECTED, "duplicate invoice number")


def test_a_failed_document_sent_again_is_delivered(office, package, run):
    package.failures = [PermanentDeliveryError("401 token revoked")]
    document_id = sent_document(office, linked_client(office))
    run()
    office.app.request_send(office.firm_id, document_id, office.admin)
    run()
    assert status(office, document_id) is DocumentStatus.SENT
    assert office.app.document(office.firm_id, document_id).attempts == 2


def test_a_document_the_package_already_has_is_recorded_without_a_second_delivery(
    office, package, run
):
    document_id = sent_document(office, linked_client(office))
    package.received[f"lucy-{document_id.hex}"] = (None, None)  # accepted before a crash
    run()
    assert status(office, document_id) is DocumentStatus.SENT
    assert package.calls == 0


def test_a_client_without_a_package_gets_a_clear_failure(office, package, run):
    client_id = office.new_client()
    document_id = sent_document(office, client_id)
    run()
    document = office.app.document(office.firm_id, document_id)
    assert document.status is DocumentStatus.FAILED
    assert document.failure_reason == "no accounting package is linked to this client"


def test_a_recognised_document_is_sent_automatically_when_auto_send_is_on(office, package, run):
    client_id = linked_client(office)
    recognised = office.receive(client_id, document_type="purchase-invoice")
    unrecognised = office.receive(client_id, document_type=None)
    run()
    assert status(office, recognised) is DocumentStatus.SENT
    assert status(office, unrecognised) is DocumentStatus.INBOX


def test_auto_send_off_leaves_recognised_documents_in_the_inbox(office, package, run):
    client_id = linked_client(office)
    office.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    document_id = office.receive(client_id)
    run()
    assert status(office, document_id) is DocumentStatus.INBOX
    assert package.calls == 0


def test_a_batch_of_recognised_documents_arrives_and_goes_out_in_order(office, package, run):
    client_id = linked_client(office)
    ids = office.app.receive_documents([
        IncomingDocument(office.firm_id, client_id, PDF + bytes([n]), f"{n}.pdf",
                         "application/pdf", "email", document_type="receipt")
        for n in range(5)
    ], office.admin)
    run()
    assert [o.document_id for o, _ in package.received.values()] == ids


def test_the_router_counts_and_times_each_delivery_by_package_and_outcome(
    app, office, package, tmp_path
):
    from datetime import UTC, datetime, timedelta

    from prometheus_client.parser import text_string_to_metric_families

    from lucy_events.aggregates.event_time import events_stamped_by
    from lucy_events.metrics import Metrics

    metrics = Metrics()
    db = Database.from_url(f"sqlite:///{tmp_path}/measured.sqlite")
    router = metrics.measured(Router(app, lambda code: package, metrics=metrics,
                                     retrying=lambda: delivery_retrying(sleep=lambda s: None)))
    runtime = ConsumerRuntime(LogSource(app, db, router.name, router.topics), router,
                              StoreDeadLetters(db), poll_timeout=0.02)
    package.failures = [TransientDeliveryError("451 later"), PermanentDeliveryError("535")]
    failed = sent_document(office, linked_client(office))
    drain(runtime, idle_polls=1)
    two_seconds_ago = datetime.now(UTC) - timedelta(seconds=2)
    with events_stamped_by(lambda: two_seconds_ago):  # requested 2 s before the router runs
        sent = sent_document(office, linked_client(office))
    drain(runtime, idle_polls=1)
    db.close()
    assert (status(office, failed), status(office, sent)) == (
        DocumentStatus.FAILED, DocumentStatus.SENT)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(metrics.render().decode())
               for s in f.samples}
    octopus = ("package", "octopus")
    assert samples[("lucy_deliveries_total", (("outcome", "failed"), octopus))] == 1
    assert samples[("lucy_deliveries_total", (("outcome", "delivered"), octopus))] == 1
    assert samples[("lucy_delivery_retries_total", (octopus,))] == 1
    delivered = (("le", "1.0"), ("outcome", "delivered"), octopus)
    assert samples[("lucy_delivery_latency_seconds_bucket", delivered)] == 0
    assert samples[("lucy_delivery_latency_seconds_bucket",
                    (("le", "2.5"), ("outcome", "delivered"), octopus))] == 1
    assert samples[("lucy_handler_seconds_count", (("consumer", "router"),))] >= 2


def test_the_route_process_reads_the_document_topic_with_one_consumer_that_also_auto_sends(
    tmp_path,
):
    # Each consumer of a topic fetches and parses all of it: auto-send as a group of its
    # own cost the route process about 1 ms of CPU a delivered document (benchmarks.md).
    from lucy_events.bootstrap import bootstrap
    from lucy_events.bus.catalogue import DOCUMENT_TOPIC
    from tests.integration.onboarding.conftest import settings_for

    services = bootstrap(settings_for(tmp_path))
    try:
        readers = [h for h in services.delivery_handlers() if DOCUMENT_TOPIC in h.topics]
        assert [h.name for h in readers] == ["router"]
        assert {"SendRequested", "DocumentRecognised", "DuplicateDismissed"} <= set(
            readers[0].acts_on)
    finally:
        services.close()
