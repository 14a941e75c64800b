"""Failed deliveries over HTTP: who sees which, the filters, and retrying them.

A failure is recorded as the router records one: the document is asked to be sent, then
``SendFailed`` is recorded through the application by the system actor ``router``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from tests.e2e.api.conftest import ApiServer, Firm

ROUTER = Actor.system("router")
MAIL = {"purchase_address": "in@clearfacts.example"}


def _linked_client(firm: Firm, name: str, package: str = "clearfacts") -> dict[str, Any]:
    client = firm.new_client(name=name, firm_contact_id=firm.office.accountant.id)
    reply = firm.admin.put(f"/clients/{client['id']}/integration",
                           {"package": package, "settings": MAIL})
    assert reply.status == 200, reply
    return client


def _failed(api: ApiServer, firm: Firm, client_id: str, reason: str = "550 no mailbox") -> str:
    document = firm.upload(client_id)
    assert firm.admin.post(f"/documents/{document['id']}/send").status == 202
    api.services.app.record_send_failure(UUID(document["id"]), reason, True, ROUTER)
    api.settle()
    return str(document["id"])


def _failed_ids(reply: Any) -> list[str]:
    assert reply.status == 200, reply
    return [item["document"]["id"] for item in reply.json["items"]]


def test_failed_deliveries_are_listed_with_their_reason_and_retried(any_api: ApiServer):
    firm = any_api.firm()
    client = _linked_client(firm, "Bakkerij Claes")
    document_id = _failed(any_api, firm, client["id"])
    listed = firm.admin.get("/deliveries/failed").json
    assert listed["total"] == 1 and listed["page"] == 1
    failure = listed["items"][0]
    assert (failure["client_name"], failure["integration"]) == ("Bakkerij Claes", "clearfacts")
    assert (failure["document"]["id"], failure["document"]["status"],
            failure["document"]["failure_reason"], failure["document"]["retryable"]) == (
        document_id, "Failed", "550 no mailbox", True)
    assert firm.admin.get(f"/clients/{client['id']}").json["failed_count"] == 1
    retried = firm.admin.post("/deliveries/retry")
    assert retried.status == 200, retried
    assert retried.json == {"requested": [document_id], "skipped": []}
    document = firm.admin.get(f"/documents/{document_id}").json
    assert (document["status"], document["attempts"]) == ("Sending", 2)
    assert firm.admin.get("/deliveries/failed").json["total"] == 0
    assert firm.admin.post("/deliveries/retry").json == {"requested": [], "skipped": []}


def test_failed_deliveries_filter_by_client_integration_and_since(api: ApiServer, firm: Firm):
    mail = _linked_client(firm, "Mail", package="email")
    clearfacts = _linked_client(firm, "Clearfacts")
    by_mail = _failed(api, firm, mail["id"])
    by_clearfacts = _failed(api, firm, clearfacts["id"])
    assert set(_failed_ids(firm.admin.get("/deliveries/failed"))) == {by_mail, by_clearfacts}
    assert _failed_ids(firm.admin.get("/deliveries/failed", client=mail["id"])) == [by_mail]
    assert _failed_ids(firm.admin.get("/deliveries/failed", integration="clearfacts")) == [
        by_clearfacts]
    assert _failed_ids(firm.admin.get("/deliveries/failed", since="2999-01-01")) == []
    assert len(_failed_ids(firm.admin.get("/deliveries/failed", since="2000-01-01"))) == 2
    assert _failed_ids(firm.admin.get("/deliveries/failed", page_size=1, page=2)) != []
    retried = firm.admin.post("/deliveries/retry", {"integration": "email"})
    assert retried.json["requested"] == [by_mail]
    assert _failed_ids(firm.admin.get("/deliveries/failed")) == [by_clearfacts]
    bad = firm.admin.get("/deliveries/failed", integration="excel", firm="x")
    assert bad.status == 400 and set(bad.error["fields"]) == {"integration", "firm"}


def test_accountants_retry_one_clients_failures_never_the_whole_firms(
        api: ApiServer, firm: Firm):
    shown = _linked_client(firm, "Shown")
    hidden = _linked_client(firm, "Hidden")
    shown_failure = _failed(api, firm, shown["id"])
    _failed(api, firm, hidden["id"])
    firm.admin.put(f"/clients/{hidden['id']}/visibility", {"hidden": True})
    assert _failed_ids(firm.accountant.get("/deliveries/failed")) == [shown_failure]
    assert firm.accountant.get("/deliveries/failed", client=hidden["id"]).status == 404
    firm_wide = firm.accountant.post("/deliveries/retry")
    assert firm_wide.status == 403 and firm_wide.error["code"] == "forbidden"
    assert firm.accountant.post("/deliveries/retry", {"client": hidden["id"]}).status == 404
    own = firm.accountant.post("/deliveries/retry", {"client": shown["id"]})
    assert own.status == 200 and own.json["requested"] == [shown_failure]
    history = firm.admin.get(f"/clients/{shown['id']}/history").json["items"]
    assert (history[-1]["what"], history[-1]["who"]) == ("SendRequested", "Lotte Accountant")


def test_another_firms_failures_are_neither_listed_nor_retried(api: ApiServer, firm: Firm):
    client = _linked_client(firm, "Ours")
    document_id = _failed(api, firm, client["id"])
    other = api.firm("Other & Co")
    assert other.admin.get("/deliveries/failed").json["total"] == 0
    assert other.admin.get("/deliveries/failed", client=client["id"]).status == 404
    assert other.admin.post("/deliveries/retry", {"client": client["id"]}).status == 404
    assert other.admin.post("/deliveries/retry").json == {"requested": [], "skipped": []}
    assert firm.admin.get(f"/documents/{document_id}").json["status"] == "Failed"
