"""The auditor over HTTP: no presenter (the API's history and exports, the dashboard's
History tab and its exports) shows a private field; the client and its documents as of a
date; exports over a period that state the chain head they were taken at."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from lucy_events.audit.verify import head_of
from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.http_client import Http, Reply


def _invited(api: ApiServer, firm: Firm) -> tuple[dict[str, Any], str]:
    """A client invited twice, and the hash of its live invitation token."""
    client = firm.new_client()
    assert firm.admin.post(f"/clients/{client['id']}/invitation").status in (200, 201)
    api.clock.advance(days=1)
    assert firm.admin.put(f"/clients/{client['id']}/invitation").status in (200, 201)
    secret = api.services.app.client(firm.id, UUID(client["id"])).invitation_token_hash
    assert secret
    return client, secret


def _dashboard(api: ApiServer, firm: Firm) -> Http:
    """A signed-in admin's browser (a session started in the store, as signing in does)."""
    cookie = api.session_cookie(firm.id, firm.office.admin, "the-secret")
    browser = Http(api.base.removesuffix("/api/v1"))
    browser.call = _with_cookie(browser.call, cookie)  # type: ignore[method-assign]
    return browser


def _with_cookie(call: Any, cookie: str) -> Any:
    def calling(method: str, path: str, body: Any = None, **kwargs: Any) -> Reply:
        kwargs["headers"] = {**kwargs.get("headers", {}), "Cookie": cookie}
        return call(method, path, body, **kwargs)
    return calling


def _private_free(reply: Reply, secret: str) -> str:
    assert reply.status == 200, reply
    text = reply.content.decode()
    assert secret not in text and "token_hash" not in text
    return text


def test_the_api_history_shows_no_private_field(api: ApiServer, firm: Firm):
    client, secret = _invited(api, firm)
    reply = firm.admin.get(f"/clients/{client['id']}/history")
    _private_free(reply, secret)
    resent = reply.json["items"][-1]
    assert resent["what"] == "InvitationResent" and resent["who"] == "Sofie Admin"
    assert set(resent["changes"]) == {"expires_at"}  # a new link, to the same address
    change = resent["changes"]["expires_at"]
    assert change["before"] < change["after"] and change["after"].endswith("+00:00")


def test_every_api_export_shows_no_private_field_and_states_the_chain_head(
        api: ApiServer, firm: Firm):
    client, secret = _invited(api, firm)
    path = f"/clients/{client['id']}/history/export"
    head = str(head_of(api.services.app.recorder))
    exported = {fmt: _private_free(firm.admin.get(path, format=fmt), secret)
                for fmt in ("csv", "json", "html")}
    assert json.loads(exported["json"])["chain_head"] == head
    assert [e["event"] for e in json.loads(exported["json"])["entries"]] == [
        "ClientCreated", "Invited", "InvitationResent"]
    rows = list(csv.reader(io.StringIO(exported["csv"])))
    assert ["# chain_head", head] in rows
    assert rows[-1][6] == "InvitationResent" and rows[-1][1] == "Sofie Admin"
    assert head in exported["html"] and "<table>" in exported["html"]


def test_an_export_over_a_period_holds_only_that_period(api: ApiServer, firm: Firm):
    client = firm.new_client()
    firm.admin.put(f"/clients/{client['id']}/auto-send", {"auto_send": False})
    entries = firm.admin.get(f"/clients/{client['id']}/history").json["items"]
    later = entries[1]["when"]
    path = f"/clients/{client['id']}/history/export"
    since = json.loads(firm.admin.get(path, format="json", **{"from": later}).content)
    assert [e["event"] for e in since["entries"]] == ["AutoSendChanged"]
    before = json.loads(firm.admin.get(path, format="json", to=entries[0]["when"]).content)
    assert [e["event"] for e in before["entries"]] == ["ClientCreated"]
    bad = firm.admin.get(path, format="pdf")
    assert bad.status == 400 and list(bad.error["fields"]) == ["format"]


def test_as_of_gives_the_client_and_its_documents_as_they_stood(api: ApiServer, firm: Firm):
    client = firm.new_client()
    first = firm.upload(client["id"])
    moment = firm.admin.get(f"/clients/{client['id']}/history").json["items"][-1]["when"]
    assert firm.admin.delete(f"/documents/{first['id']}").status == 204
    firm.upload(client["id"], content=b"%PDF-1.4 second\n%%EOF\n")
    path = f"/clients/{client['id']}/history"
    then = firm.admin.get(path, as_of=moment).json["as_of"]
    assert then["client"]["status"] == "Created"
    assert [(d["id"], d["status"]) for d in then["documents"]] == [(first["id"], "Inbox")]
    now = firm.admin.get(path, as_of="2999-01-01").json["as_of"]
    assert [d["id"] for d in now["documents"]] != [first["id"]] and len(now["documents"]) == 1


def test_the_dashboard_history_tab_and_its_exports_show_no_private_field(
        api: ApiServer, firm: Firm):
    client, secret = _invited(api, firm)
    firm.upload(client["id"])
    api.settle()
    browser = _dashboard(api, firm)
    page = _private_free(browser.get(f"/clients/{client['id']}/history"), secret)
    assert "Sent anna@bakkerij.example a new invitation link" in page
    assert "invoice.pdf" in page
    for fmt in ("csv", "json", "html"):
        _private_free(browser.get(f"/clients/{client['id']}/history/export", format=fmt),
                      secret)


def test_the_dashboard_shows_the_documents_list_as_it_stood_on_a_date(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    firm.upload(client["id"])
    api.settle()
    browser = _dashboard(api, firm)
    today = datetime.now(UTC).date().isoformat()  # events are stamped by the wall clock
    page = browser.get(f"/clients/{client['id']}/history", as_of=today)
    text = _private_free(page, "no-secret-here")
    assert f"As it stood at the end of {today}" in text
    assert "invoice.pdf" in text and ">Inbox<" in text
    empty = browser.get(f"/clients/{client['id']}/history", as_of="2000-01-01")
    assert "The client did not exist yet." in empty.content.decode()
    bad = browser.get(f"/clients/{client['id']}/history", as_of="soon")
    assert "not a date" in bad.content.decode()
