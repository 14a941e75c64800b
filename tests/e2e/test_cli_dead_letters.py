"""Ops look at parked messages and stuck deliveries from the terminal, and act on them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from lucy_events.aggregates.event_time import events_stamped_by
from lucy_events.bootstrap import bootstrap
from lucy_events.bus.faults import InvalidMessage
from lucy_events.bus.runtime import Delivery, Position, Undecodable
from lucy_events.bus.stored_records import stored_bus_event
from lucy_events.config import Settings
from tests.e2e.conftest import Cli
from tests.integration.test_router import linked_client
from tests.support import open_office


def test_parked_messages_are_listed_shown_replayed_and_discarded(sqlite_cli: Cli):
    services = bootstrap(Settings.from_env(sqlite_cli.env))
    try:
        office = open_office(services.app)
        client_id = linked_client(office)
        services.app.change_auto_send(office.firm_id, client_id, False, office.admin)
        document_id = office.receive(client_id)
        services.app.request_send(office.firm_id, document_id, office.admin)
        head = services.app.recorder.max_notification_id()
        [notification] = services.app.recorder.select_notifications(start=head, limit=1)
        store = services.dead_letter_store()
        store.park_failed(Delivery(stored_bus_event(notification, services.app.mapper),
                                   Position("log", 0, head), notification.state),
                          InvalidMessage("refused in a test"), "router")
        store.park_undecodable(Undecodable(Position("log", 0, 999_999), b"junk",
                                           "unreadable"), "dashboard")
    finally:
        services.close()
    parked, junk = f"router:log:0:{head}", "dashboard:log:0:999999"

    listed = sqlite_cli.run("dead-letters", "list").stdout
    assert parked in listed and junk in listed and "2 parked messages" in listed
    shown = json.loads(sqlite_cli.run("dead-letters", "show", parked).stdout)
    assert shown["consumer"] == "router" and shown["error"].startswith("InvalidMessage")

    replayed = sqlite_cli.run("dead-letters", "replay", parked).stdout
    assert replayed.startswith("replayed")
    again = sqlite_cli.run("dead-letters", "replay", parked, check=False)
    assert again.returncode == 1 and "no parked message" in again.stdout
    still = sqlite_cli.run("dead-letters", "replay", junk, check=False)
    assert still.returncode == 1 and still.stdout.startswith("refused again")

    assert "discarded" in sqlite_cli.run("dead-letters", "discard", junk).stdout
    assert "0 parked messages" in sqlite_cli.run("dead-letters", "list").stdout


def test_documents_stuck_in_sending_are_listed_and_sent_again(sqlite_cli: Cli):
    services = bootstrap(Settings.from_env(sqlite_cli.env))
    try:
        office = open_office(services.app)
        client_id = linked_client(office)
        services.app.change_auto_send(office.firm_id, client_id, False, office.admin)
        document_id = office.receive(client_id)
        with events_stamped_by(lambda: datetime.now(UTC) - timedelta(hours=1)):
            services.app.request_send(office.firm_id, document_id, office.admin)
    finally:
        services.close()
    sqlite_cli.run("replay")  # the read models (no consumers run in this test)

    listed = sqlite_cli.run("deliveries", "stuck", "--older-than", "30").stdout
    assert str(document_id) in listed and "1 documents in Sending" in listed
    assert "0 documents" in sqlite_cli.run("deliveries", "stuck", "--older-than", "90").stdout
    resent = sqlite_cli.run("deliveries", "stuck", "--older-than", "30", "--resend").stdout
    assert "1 documents asked to be sent again, 0 skipped" in resent
