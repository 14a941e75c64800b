"""Who may call what: every endpoint against no token, a bad token, another firm's
admin, and an accountant facing a hidden client; then where the roles differ."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from lucy_events.access_tokens import AccessTokens
from tests.e2e.api.conftest import ApiServer, Firm, client_body
from tests.e2e.api.http_client import Http, Reply

MAIL = {"purchase_address": "in@clearfacts.example"}
UPLOAD = object()  # marks the multipart upload

RESOURCES: list[tuple[str, str, Any]] = [
    ("GET", "/clients/{client}", None),
    ("POST", "/clients/{client}/invitation", None),
    ("PUT", "/clients/{client}/invitation", None),
    ("PUT", "/clients/{client}/peppol", {"send": True, "receive": True}),
    ("DELETE", "/clients/{client}/peppol", None),
    ("PUT", "/clients/{client}/integration", {"package": "clearfacts", "settings": MAIL}),
    ("DELETE", "/clients/{client}/integration", None),
    ("PUT", "/clients/{client}/allowed-senders", {"senders": ["acme.be"]}),
    ("PUT", "/clients/{client}/favourite", None),
    ("DELETE", "/clients/{client}/favourite", None),
    ("PUT", "/clients/{client}/visibility", {"hidden": False}),
    ("PUT", "/clients/{client}/firm-contact", {"staff_id": None}),
    ("PUT", "/clients/{client}/team", {"team_id": None}),
    ("PUT", "/clients/{client}/auto-send", {"auto_send": True}),
    ("GET", "/clients/{client}/documents", None),
    ("POST", "/clients/{client}/documents", UPLOAD),
    ("GET", "/clients/{client}/history", None),
    ("GET", "/documents/{document}", None),
    ("PUT", "/documents/{document}/type", {"document_type": "receipt"}),
    ("POST", "/documents/{document}/send", None),
    ("POST", "/documents/{document}/archive", None),
    ("DELETE", "/documents/{document}", None),
    ("GET", "/documents/{document}/content", None),
    ("GET", "/clients/{client}/vault", None),
    ("POST", "/clients/{client}/vault", UPLOAD),
    ("GET", "/clients/{client}/vault/{vault_file}", None),
    ("DELETE", "/clients/{client}/vault/{vault_file}", None),
]
COLLECTIONS: list[tuple[str, str, Any]] = [
    ("GET", "/clients", None),
    ("POST", "/clients", client_body()),
    ("POST", "/documents/send", {"document_ids": ["{document}"]}),
    ("GET", "/deliveries/failed", None),
    ("POST", "/deliveries/retry", {}),
]


class World:
    """Firm A with a client (and a document) everyone there sees, and a client (and a
    document) hidden from accountants; firm B, whose admin tries A's."""

    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self.ours, self.theirs = api.firm("A"), api.firm("B")
        self.client = self.ours.new_client(name="Visible")
        self.document = self.ours.upload(self.client["id"])
        self.hidden = self.ours.new_client(name="Hidden")
        self.hidden_document = self.ours.upload(self.hidden["id"])
        self.vault_files = {c["id"]: self._share(c["id"]) for c in (self.client, self.hidden)}
        self.ours.admin.put(f"/clients/{self.hidden['id']}/visibility", {"hidden": True})

    def _share(self, client_id: str) -> str:
        reply = self.ours.admin.upload(f"/clients/{client_id}/vault", b"%PDF-1.4 return")
        assert reply.status == 201, reply
        shared: str = reply.json["items"][0]["id"]
        return shared

    def call(self, http: Http, method: str, template: str, body: Any,
             hidden: bool = False, headers: dict[str, str] | None = None) -> Reply:
        client = self.hidden if hidden else self.client
        document = self.hidden_document if hidden else self.document
        path = template.format(client=client["id"], document=document["id"],
                               vault_file=self.vault_files[client["id"]])
        if body is UPLOAD:
            return http.upload(path, b"%PDF-1.4", headers=headers, document_type="receipt")
        if body == {"document_ids": ["{document}"]}:
            body = {"document_ids": [document["id"]]}
        return http.call(method, path, body, headers=headers)


@pytest.fixture(scope="module")
def world(sqlite_api: ApiServer) -> World:
    return World(sqlite_api)


def _id(endpoint: tuple[str, str, Any]) -> str:
    return f"{endpoint[0]} {endpoint[1]}"


@pytest.mark.parametrize("endpoint", RESOURCES + COLLECTIONS, ids=_id)
def test_every_staff_endpoint_is_a_401_without_a_valid_token(
        world: World, endpoint: tuple[str, str, Any]):
    for headers in ({}, {"Authorization": "Bearer lucy_forged"},
                    {"Authorization": "Bearer not-even-ours"},
                    {"Authorization": "Basic c29maWU6c2VjcmV0"}, {"Authorization": "Bearer "}):
        reply = world.call(Http(world.api.base), *endpoint, headers=headers)
        assert reply.status == 401, (headers, reply)
        assert reply.error["code"] == "unauthorized"
        assert reply.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("endpoint", RESOURCES, ids=_id)
def test_another_firms_client_or_document_is_a_404_never_a_403(
        world: World, endpoint: tuple[str, str, Any]):
    reply = world.call(world.theirs.admin, *endpoint)
    assert reply.status == 404, reply
    assert reply.error["code"] == "not_found"


@pytest.mark.parametrize("endpoint", RESOURCES, ids=_id)
def test_a_client_hidden_from_an_accountant_is_a_404_whatever_they_ask(
        world: World, endpoint: tuple[str, str, Any]):
    reply = world.call(world.ours.accountant, *endpoint, hidden=True)
    assert reply.status == 404, reply


def test_another_firms_lists_show_nothing_of_ours(world: World):
    theirs = world.theirs.admin
    assert theirs.get("/clients").json["total"] == 0
    assert theirs.get("/deliveries/failed").json["total"] == 0
    bulk = theirs.post("/documents/send", {"document_ids": [world.document["id"]]}).json
    assert bulk["results"][0]["error"]["code"] == "not_found"
    assert world.ours.admin.get(f"/documents/{world.document['id']}").json["status"] == "Inbox"


ROLES: list[tuple[str, str, Any, int, int]] = [
    # method, path, body, admin's status, accountant's status
    ("PUT", "/clients/{client}/visibility", {"hidden": True}, 200, 403),
    ("PUT", "/clients/{client}/firm-contact", {"staff_id": None}, 200, 403),
    ("GET", "/clients?tab=all", None, 200, 403),
    ("GET", "/clients?tab=invitations", None, 200, 403),
    ("GET", "/clients?tab=onboarding", None, 200, 200),
    ("POST", "/deliveries/retry", {}, 200, 403),
    ("POST", "/deliveries/retry", {"client": "{client}"}, 200, 200),
    ("PUT", "/clients/{client}/team", {"team_id": None}, 200, 200),
    ("POST", "/clients/{client}/invitation", None, 201, 201),
]


@pytest.mark.parametrize("method,path,body,admin_status,accountant_status", ROLES,
                         ids=[f"{r[0]} {r[1]} {r[2]}" for r in ROLES])
def test_the_roles_decide_what_an_accountant_may_do(
        api: ApiServer, method: str, path: str, body: Any, admin_status: int,
        accountant_status: int):
    for role, expected in (("accountant", accountant_status), ("admin", admin_status)):
        firm = api.firm()
        client = firm.new_client()
        sent = {"client": client["id"]} if body == {"client": "{client}"} else body
        reply = getattr(firm, role).call(method, path.format(client=client["id"]), sent)
        assert reply.status == expected, (role, reply)


def test_a_revoked_token_or_a_removed_colleague_is_a_401(api: ApiServer, firm: Firm):
    assert firm.accountant.get("/clients").status == 200
    accountant_id = UUID(firm.office.accountant.id)
    api.services.app.remove_staff_member(firm.id, accountant_id, firm.office.admin)
    reply = firm.accountant.get("/clients")
    assert reply.status == 401 and "no longer works" in reply.error["message"]
    AccessTokens(api.services.read_db).revoke_all(UUID(firm.office.admin.id))
    assert firm.admin.get("/clients").status == 401


def test_the_dashboards_session_works_but_a_change_needs_its_csrf_secret(
        api: ApiServer, firm: Firm):
    browser = Http(api.base)
    session = {"Cookie": api.session_cookie(firm.id, firm.office.admin, "the-secret")}
    assert browser.call("GET", "/clients", headers=session).status == 200
    forged = browser.call("POST", "/clients", client_body(), headers=session)
    assert forged.status == 403 and forged.error["code"] == "csrf_rejected"
    wrong = browser.call("POST", "/clients", client_body(),
                         headers={**session, "X-CSRF-Token": "guessed"})
    assert wrong.status == 403
    made = browser.call("POST", "/clients", client_body(),
                        headers={**session, "X-CSRF-Token": "the-secret"})
    assert made.status == 201, made
