"""A document stuck in Sending (its request lost or parked) is reported past a threshold
and sent again safely: the delivery key keeps a first copy that did arrive from being
delivered twice, and the lost request, if it ever comes back, does nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lucy_events.aggregates.document_rules import STUCK_REASON, DocumentStatus, NotStuck
from lucy_events.aggregates.event_time import events_stamped_by
from lucy_events.bootstrap import bootstrap
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import Settings
from lucy_events.routers.router import Router
from lucy_events.routers.stuck import resend_stuck, stuck_deliveries
from tests.integration.test_consumer_runtime import drain
from tests.integration.test_router import RecordingPackage, linked_client
from tests.support import open_office


@pytest.fixture
def services(tmp_path):
    services = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path)}))
    yield services
    services.close()


def consume(services, handlers) -> None:
    for handler in handlers:
        drain(ConsumerRuntime(LogSource(services.app, services.read_db, handler.name,
                                        handler.topics), handler,
                              services.dead_letter_store(), poll_timeout=0.02), idle_polls=1)


def test_a_document_stuck_in_sending_is_listed_and_sent_again_once(services):
    app = services.app
    office = open_office(app)
    client_id = linked_client(office)
    app.change_auto_send(office.firm_id, client_id, False, office.admin)
    arrived, lost, recent = (office.receive(client_id) for _ in range(3))
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    with events_stamped_by(lambda: two_hours_ago):
        for document_id in (arrived, lost):
            app.request_send(office.firm_id, document_id, office.admin)
    app.request_send(office.firm_id, recent, office.admin)
    consume(services, services.projection_handlers())
    threshold = datetime.now(UTC) - timedelta(minutes=30)

    stuck = stuck_deliveries(services.read_db, requested_before=threshold)
    assert {s.document.document_id for s in stuck} == {arrived, lost}
    assert all(s.integration_package == "octopus" for s in stuck)

    package = RecordingPackage()  # the first attempt of one of them did reach it
    package.received[f"lucy-{arrived.hex}"] = (None, None)  # type: ignore[assignment]
    report = resend_stuck(app, services.read_db, requested_before=threshold)
    assert sorted(report.requested) == sorted([arrived, lost]) and not report.skipped
    asked_again = app.document(office.firm_id, lost)
    assert asked_again.status is DocumentStatus.SENDING and asked_again.attempts == 2
    assert asked_again.failure_reason == STUCK_REASON  # the stuck attempt, on the record
    consume(services, [Router(app, lambda code: package)])  # old and new requests alike

    for document_id in (arrived, lost, recent):
        assert app.document(office.firm_id, document_id).status is DocumentStatus.SENT
    assert package.calls == 2  # lost and recent; arrived was found under its key
    assert len(package.received) == 3
    with pytest.raises(NotStuck):
        app.resend_stuck(lost, threshold, office.admin)


def test_a_document_sent_recently_is_not_stuck_yet(services):
    app = services.app
    office = open_office(app)
    client_id = linked_client(office)
    app.change_auto_send(office.firm_id, client_id, False, office.admin)
    document_id = office.receive(client_id)
    app.request_send(office.firm_id, document_id, office.admin)
    with pytest.raises(NotStuck, match="may still be on its way"):
        app.resend_stuck(document_id, datetime.now(UTC) - timedelta(minutes=30),
                         office.admin)
