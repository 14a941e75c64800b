"""The multisender over HTTP, as a client user's program uses it: a destination added,
confirmed with the token from the e-mail (the outbox of the embedded default), two
documents sent there, the sendings read back and the mail in the outbox once; another
company's user and the firm's staff reach none of it."""

from __future__ import annotations

import re

from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.multisender.delivery import MultisendDelivery
from tests.e2e.api.conftest import ApiServer
from tests.e2e.api.http_client import Http

OCTOPUS = "inbox@octopus.example"


def deliver(api: ApiServer) -> None:
    """One pass of the multisender's worker over what was asked."""
    services = api.services
    worker = MultisendDelivery(services.app, services.mailer(), services.sent_mail())
    ConsumerRuntime(LogSource(services.app, services.read_db, worker.name, worker.topics),
                    worker, StoreDeadLetters(services.read_db), poll_timeout=0.05).step()


def test_a_client_user_adds_confirms_and_sends_through_the_api(api: ApiServer):
    firm = api.firm()
    client = firm.new_client()
    documents = [firm.upload(client["id"]), firm.upload(client["id"], b"%PDF-1.4 two\n")]
    _, user = api.client_user(firm, client["id"])

    added = user.post("/portal/destinations", {"address": "Inbox@Octopus.example",
                                               "label": "Octopus"})
    assert added.status == 201, added
    destination = added.json["destination"]
    assert (destination["address"], destination["confirmed"]) == (OCTOPUS, False)
    assert added.json["confirmation_mail"] == {"sent": True, "error": None}
    assert user.post("/portal/destinations", {"address": OCTOPUS}).status == 409
    refused = user.post("/portal/destinations", {"address": "octopus"})
    assert (refused.status, refused.json["error"]["fields"]) == (
        422, {"address": "'octopus' is not an e-mail address"})

    not_yet = user.post("/portal/send-to", {"destination_id": destination["id"],
                                            "document_ids": [documents[0]["id"]]})
    assert not_yet.status == 409 and not_yet.json["error"]["code"] == "destination_not_confirmed"

    outbox = api.services.outbox()
    assert outbox is not None
    [entry] = [e for e in outbox.entries() if e.to.endswith(f"<{OCTOPUS}>") or e.to == OCTOPUS]
    mail = outbox.message(entry.entry_id)
    token = re.search(r"/portal/destinations/confirm/([0-9a-f]{32}\.[\w-]+)",
                      mail.get_body(("plain",)).get_content()).group(1)
    anyone = Http(api.base)  # whoever reads that mailbox: no session, no token
    answer = anyone.post(f"/destination-confirmations/{token}")
    assert answer.status == 200 and answer.json["destination"]["confirmed"] is True
    assert anyone.post(f"/destination-confirmations/{token}").status == 404  # used once

    sent = user.post("/portal/send-to", {"destination_id": destination["id"],
                                         "document_ids": [d["id"] for d in documents]})
    assert sent.status == 200, sent
    assert [item["sending"]["status"] for item in sent.json["items"]] == ["requested"] * 2
    deliver(api)
    for document in documents:
        [sending] = user.get(f"/portal/documents/{document['id']}/sendings").json["items"]
        assert (sending["status"], sending["address"]) == ("sent", OCTOPUS)
        copies = [e for e in outbox.entries() if e.message_id == sending["message_id"]]
        assert len(copies) == 1
        again = user.post(f"/portal/documents/{document['id']}/sendings/{sending['id']}/retry")
        assert again.status == 409  # a sent copy never goes twice
        status = firm.admin.get(f"/documents/{document['id']}").json["status"]
        assert status == "Inbox"  # towards the accountant's package: untouched

    _, stranger = api.client_user(firm, firm.new_client()["id"])
    assert stranger.get("/portal/destinations").json["items"] == []
    assert stranger.get(f"/portal/documents/{documents[0]['id']}/sendings").status == 404
    assert stranger.delete(f"/portal/destinations/{destination['id']}").status == 404
    across = stranger.post("/portal/send-to", {"destination_id": destination["id"],
                                               "document_ids": [documents[0]["id"]]})
    assert across.status == 422  # not one of theirs
    assert firm.admin.get("/portal/destinations").status == 401  # staff: no client session

    removed = user.delete(f"/portal/destinations/{destination['id']}")
    assert removed.status == 200 and user.get("/portal/destinations").json["items"] == []
