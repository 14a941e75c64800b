"""Parked messages over HTTP, for admins: the firm's own only, shown, replayed once,
discarded."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from lucy_events.bus.faults import InvalidMessage
from lucy_events.bus.runtime import Delivery, Position
from lucy_events.bus.stored_records import stored_bus_event
from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.test_deliveries import _linked_client


def _parked_send_request(api: ApiServer, firm: Firm) -> tuple[str, str]:
    """A document asked to be sent whose SendRequested the router parked."""
    client = _linked_client(firm, "Parked Request BV")
    document = firm.upload(client["id"])
    assert firm.admin.post(f"/documents/{document['id']}/send").status == 202
    app = api.services.app
    head = app.recorder.max_notification_id()
    [notification] = app.recorder.select_notifications(start=head, limit=1)
    event = stored_bus_event(notification, app.mapper)
    assert event.type == "SendRequested"
    api.services.dead_letter_store().park_failed(
        Delivery(event, Position("log", 0, notification.id), notification.state),
        InvalidMessage("a test refused it"), "router")
    return f"router:log:0:{notification.id}", str(document["id"])


def test_an_admin_sees_the_firms_parked_messages_and_replays_one_once(api: ApiServer):
    firm, other = api.firm(), api.firm("Another Firm")
    letter_id, document_id = _parked_send_request(api, firm)
    path = f"/dead-letters/{quote(letter_id)}"

    listed = firm.admin.get("/dead-letters")
    assert listed.status == 200, listed
    assert [item["id"] for item in listed.json["items"]] == [letter_id]
    assert listed.json["items"][0]["error"] == "InvalidMessage('a test refused it')"
    assert other.admin.get("/dead-letters").json["items"] == []
    assert other.admin.get(path).status == 404
    assert firm.accountant.get("/dead-letters").status == 403
    assert firm.admin.get(path).json["consumer"] == "router"

    replayed = firm.admin.post(f"{path}/replay")
    assert replayed.status == 200, replayed
    assert replayed.json["outcome"] == "replayed"
    assert firm.admin.post(f"{path}/replay").status == 404  # gone: no second effect
    document = api.services.app.document(firm.id, UUID(document_id))
    assert document.status.value != "Sending"  # the router decided, once
    assert document.attempts == 1


def test_an_admin_discards_a_parked_message(api: ApiServer):
    firm = api.firm()
    letter_id, _ = _parked_send_request(api, firm)
    path = f"/dead-letters/{quote(letter_id)}"
    assert firm.accountant.post(f"{path}/discard").status == 403
    assert firm.admin.post(f"{path}/discard").status == 204
    assert firm.admin.get(path).status == 404
    assert firm.admin.get("/dead-letters").json["total"] == 0
