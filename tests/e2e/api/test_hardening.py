"""What an outside probe found answering wrongly, over real HTTP: each answer as it must
be now (the state asked for, a 400 instead of a 500, the Allow header, no id of a hidden
client, the CSRF check kept, an invitation page no cache keeps)."""

from __future__ import annotations

import threading
from typing import Any
from urllib.request import Request, urlopen

import pytest

from lucy_events.web.api.inputs import MAX_JSON_DEPTH
from tests.e2e.api.conftest import ApiServer, Firm, client_body
from tests.e2e.api.http_client import Http, Reply

CALLERS = 6
HUGE_PAGE = "9223372036854775808"  # one past PostgreSQL's and SQLite's largest integer


def test_concurrent_peppol_settings_end_in_a_state_one_of_the_callers_asked_for(
        any_api: ApiServer):
    firm = any_api.firm()
    wanted = ({"send": True, "receive": False}, {"send": False, "receive": True})
    for _ in range(8):
        client = firm.new_client()
        path = f"/clients/{client['id']}/peppol"
        start = threading.Barrier(CALLERS)
        replies: list[Reply] = []

        threads = [threading.Thread(target=_put_thrice, args=(
            firm.admin, path, wanted[i % 2], start, replies)) for i in range(CALLERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert {r.status for r in replies} == {200}, replies
        now = firm.admin.get(f"/clients/{client['id']}").json
        assert {"send": now["peppol_send"], "receive": now["peppol_receive"]} in wanted, now


def _put_thrice(http: Http, path: str, body: dict[str, bool], start: threading.Barrier,
                replies: list[Reply]) -> None:
    start.wait()
    for _ in range(3):
        replies.append(http.put(path, body))


@pytest.mark.parametrize("path", ["/clients", "/clients/{client}/documents",
                                  "/clients/{client}/history", "/deliveries/failed"])
def test_a_page_number_past_any_database_integer_is_a_400_naming_the_page(
        firm: Firm, path: str):
    client = firm.new_client()
    reply = firm.admin.get(path.format(client=client["id"]), page=HUGE_PAGE)
    assert reply.status == 400, reply
    assert list(reply.error["fields"]) == ["page"]


def test_the_dashboards_lists_take_a_huge_page_number_as_their_last_page(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    cookie = api.session_cookie(firm.id, firm.office.admin, "secret")
    site = api.base.removesuffix("/api/v1")
    for path in ("/", f"/clients/{client['id']}/documents"):
        request = Request(f"{site}{path}?page={HUGE_PAGE}", headers={"Cookie": cookie})
        with urlopen(request, timeout=30) as response:
            assert response.status == 200 and "/signin" not in response.url


def test_a_body_nested_100000_brackets_deep_is_a_400_before_it_is_parsed(firm: Firm):
    client = firm.new_client()
    for body in (b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        reply = firm.admin.call("PUT", f"/clients/{client['id']}/peppol", data=body,
                                headers={"Content-Type": "application/json"})
        assert reply.status == 400, reply
        assert str(MAX_JSON_DEPTH) in reply.error["message"]
    # Brackets inside strings are text, not nesting.
    allowed = firm.admin.put(f"/clients/{client['id']}/allowed-senders",
                             {"senders": ["[" * 40 + "@example.com"]})
    assert allowed.status in (200, 422), allowed


def test_a_405_names_the_methods_the_resource_allows(firm: Firm):
    client = firm.new_client()
    reply = firm.admin.call("PATCH", f"/clients/{client['id']}/peppol", {"send": True})
    assert reply.status == 405, reply
    assert set(reply.headers["Allow"].split(", ")) >= {"PUT", "DELETE"}
    assert reply.error["code"] == "method_not_allowed"


def test_an_empty_authorization_header_does_not_skip_the_csrf_check_of_a_session(
        api: ApiServer, firm: Firm):
    session = {"Cookie": api.session_cookie(firm.id, firm.office.admin, "the-secret")}
    browser = Http(api.base)
    for header in ("", " "):
        forged = browser.call("POST", "/clients", client_body(),
                              headers={**session, "Authorization": header})
        assert forged.status in (401, 403), forged
        assert forged.status == 401 or forged.error["code"] == "csrf_rejected"
    assert firm.admin.get("/clients").json["total"] == 0


DOCUMENT_CALLS: list[tuple[str, str, Any]] = [
    ("GET", "/documents/{document}", None),
    ("PUT", "/documents/{document}/type", {"document_type": "receipt"}),
    ("POST", "/documents/{document}/send", None),
    ("POST", "/documents/{document}/archive", None),
    ("DELETE", "/documents/{document}", None),
    ("GET", "/documents/{document}/content", None),
    ("POST", "/documents/send", {"document_ids": ["{document}"]}),
]


def test_an_accountant_acting_on_a_hidden_clients_document_learns_nothing_of_the_client(
        firm: Firm):
    hidden = firm.new_client(name="Verborgen NV")
    document = firm.upload(hidden["id"])
    firm.admin.put(f"/clients/{hidden['id']}/visibility", {"hidden": True})
    for method, template, body in DOCUMENT_CALLS:
        if body == {"document_ids": ["{document}"]}:
            body = {"document_ids": [document["id"]]}
        reply = firm.accountant.call(method, template.format(document=document["id"]), body)
        assert reply.status in (200, 404), (template, reply)
        assert hidden["id"] not in reply.content.decode(), (template, reply)
        assert "Verborgen" not in reply.content.decode(), (template, reply)


def test_the_invitation_page_tells_caches_to_keep_no_copy(api: ApiServer, firm: Firm):
    client = firm.new_client()
    link = firm.admin.post(f"/clients/{client['id']}/invitation").json["link"]
    site = api.base.removesuffix("/api/v1")
    with urlopen(site + link, timeout=30) as response:
        assert response.headers["Cache-Control"] == "no-store"
