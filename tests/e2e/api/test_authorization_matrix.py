"""The authorization matrix: every operation of ``/api/v1/openapi.json`` against every
kind of caller, over real HTTP on waitress, on the embedded default and on PostgreSQL.

The operations come from the served OpenAPI document, so a new endpoint joins the matrix
by being described. Who may call it is read from there too (``security: []`` anyone,
``accessPoint`` a Peppol access point, otherwise any staff member, ``x-roles: [admin]``
admins only). The callers: no token, an admin and an accountant of firm A (on a client
everyone sees), another firm's admin and A's accountant on a client hidden from them
(each aiming at A's resources). Expected: 401 without a token, 404 for a resource of
another firm or a hidden client, 403 where the role is not enough, and otherwise an
answer the operation documents; never a 5xx, and never an id or name of a resource the
caller may not see in any answer.

Client users of the client portal are callers too, with their session cookie: the
owner of A's visible client, a user of another client of A, and a user of a client of
firm B. Every staff operation refuses them (401: a client session is no staff
session); the portal's own operations (``clientSession``) refuse every staff caller
(401) and answer another company's user 404 for the document of A's client.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.request import urlopen

import pytest

from tests.e2e.api.conftest import WaitressApi, be_number, client_body
from tests.e2e.api.http_client import Http, Reply, multipart

CLIENT_USERS = ("client_user", "other_client_user", "other_firm_client_user")
ROLES = ("none", "admin", "accountant", "other_firm_admin", "hidden_accountant", *CLIENT_USERS)
#: Path parameters naming a firm's resource: another firm, or a hidden client, is 404.
FIRM_RESOURCES = frozenset({"client_id", "document_id", "file_id"})
PDF = b"%PDF-1.4\n% matrix\n%%EOF\n"
#: A valid body for each request schema the API has; one not listed is sent as {} (the
#: operation is still in the matrix: it must refuse the wrong callers before it reads).
BODIES: dict[str, Any] = {
    "ClientCreate": "new client",
    "AllowedSenders": {"senders": ["acme.be"]},
    "AutoSend": {"auto_send": False},
    "FirmContact": {"staff_id": None},
    "Integration": {"package": "clearfacts",
                    "settings": {"purchase_address": "in@clearfacts.example"}},
    "Peppol": {"send": True, "receive": False},
    "Team": {"team_id": None},
    "Visibility": {"hidden": False},
    "DeliveryFilters": {"client": "{client_id}"},
    "BulkSend": {"document_ids": ["{document_id}"]},
    "FieldsCorrection": {"fields": {"invoice_number": "F-1"}},
    "DocumentType": {"document_type": "receipt"},
    "InvoiceSettings": {"seller_name": "Klant BV", "seller_street": "Veldstraat 1",
                        "seller_postal_code": "9000", "seller_city": "Gent",
                        "seller_country": "BE", "iban": "BE71096123456769"},
    "InvoiceDraft": {"customer": {"name": "Koper NV", "street": "Markt 1",
                                  "postal_code": "2000", "city": "Antwerpen",
                                  "country": "BE", "enterprise_number": "0202239951"},
                     "lines": [{"description": "Advies", "quantity": "1",
                                "unit_price": "100", "vat_rate": "21"}]},
    "CreditNote": {},
    "PeppolSending": {"endpoint": "http://127.0.0.1:9/api", "token": "matrix-token"},
    "StaffInvite": {"name": "Matrix Member", "email": "matrix@firm.example",
                    "role": "accountant"},
    "StaffRole": {"role": "accountant"},
    "StaffTeams": {"team_ids": []},
    "TeamName": {"name": "Matrix team"},
    "ServiceName": {"name": "Matrix service"},
    "DigestChoice": {"frequency": "daily", "language": "nl"},
    "ClientReminder": {"about": ["inbox"], "comment": "Matrix"},
    "ClientService": {"owner_id": "00000000-0000-4000-8000-000000000000"},
    "DestinationCreate": {"address": "matrix@octopus.example", "label": "Matrix"},
    "SendTo": {"destination_id": "00000000-0000-4000-8000-000000000000",
               "document_ids": ["{document_id}"]},
    "Erasure": {"email": "matrix-erasure@person.example", "reason": "matrix"},
    "PortalSettings": {"settings": {"host": "127.0.0.1", "port": "9", "username": "u",
                                    "password": "p", "tls": "false"}},
    "ConsentCallback": {"state": "no-such-state", "code": "no-such-code"},
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path.removeprefix('/api/v1')}"

    @property
    def documented(self) -> set[int]:
        return {int(status) for status in self.spec["responses"]}

    @property
    def public(self) -> bool:
        return self.spec.get("security") == []

    @property
    def schemes(self) -> set[str]:
        chosen = self.spec.get("security")
        return {name for requirement in chosen or [{"bearer": []}] for name in requirement}

    @property
    def for_client_users(self) -> bool:
        return "clientSession" in self.schemes

    @property
    def admins_only(self) -> bool:
        return "admin" in self.spec.get("x-roles", [])

    @property
    def parameters(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    @property
    def on_firm_resource(self) -> bool:
        return bool(FIRM_RESOURCES & set(self.parameters))

    def expected(self, role: str) -> set[int]:
        """The statuses each kind of caller may get (the leak check comes on top)."""
        allowed = self.documented - {500, 503}
        if self.public:
            return allowed
        if self.for_client_users:
            if role not in CLIENT_USERS:
                return {401}
            if role != "client_user" and self.on_firm_resource:
                return {404}
            if set(self.parameters) - FIRM_RESOURCES - {"token"}:
                return allowed - {401, 403}  # an id the matrix cannot make: not found
            return allowed - {401, 403, 404}
        if role in CLIENT_USERS:
            return {401}
        if not {"bearer", "session"} & self.schemes:  # not staff: an access point's
            return {401} if role == "none" else {403}
        if role == "none":
            return {401}
        if role in ("other_firm_admin", "hidden_accountant") and self.on_firm_resource:
            return {404}
        if self.admins_only and role in ("accountant", "hidden_accountant"):
            return {403}
        ok = allowed - {401, 403, 404}
        if set(self.parameters) - FIRM_RESOURCES - {"token"}:
            ok |= {404}  # an id the matrix cannot make (a parked message): not found
        if role in ("other_firm_admin", "hidden_accountant") and self.names_firm_resource:
            ok |= {404}  # a client named in the body: not found (or not_found per item)
        return ok

    @property
    def names_firm_resource(self) -> bool:
        schema = self.spec.get("requestBody", {}).get("content", {}).get(
            "application/json", {}).get("schema", {})
        body = BODIES.get(schema.get("$ref", "").rsplit("/", 1)[-1])
        return "_id}" in json.dumps(body)


def operations(document: dict[str, Any]) -> list[Operation]:
    """Each operation, with the parameters its path declares for all its methods."""
    return [Operation(method.upper(), path, {
                **spec, "parameters": [*item.get("parameters", []),
                                       *spec.get("parameters", [])]})
            for path, item in sorted(document["paths"].items())
            for method, spec in sorted(item.items())
            if method in ("get", "put", "post", "delete", "patch")]


@dataclass
class Target:
    """One client of firm A with a document and a vault file."""

    client: dict[str, Any]
    document: dict[str, Any]
    vault_file: str

    @property
    def ids(self) -> dict[str, str]:
        return {"client_id": self.client["id"], "document_id": self.document["id"],
                "file_id": self.vault_file}


class World:
    def __init__(self, api: WaitressApi) -> None:
        self.api = api
        self.ours, self.theirs = api.firm("A"), api.firm("B")
        self.made = 0
        self.hidden = self.target("Verborgen NV")
        self.ours.admin.put(f"/clients/{self.hidden.client['id']}/visibility", {"hidden": True})
        self.shared = self.target("Zichtbaar BV")
        invited = self.target("Uitgenodigd BV").client["id"]
        link = self.ours.admin.post(f"/clients/{invited}/invitation").json["link"]
        self.invitation = link.rsplit("/", 1)[-1]
        other_client = self.target("Andere Klant BV").client["id"]
        other_firm_client = self.theirs.new_client(name="Klant van B")["id"]
        self.callers = {"none": Http(api.base), "admin": self.ours.admin,
                        "accountant": self.ours.accountant,
                        "other_firm_admin": self.theirs.admin,
                        "hidden_accountant": self.ours.accountant,
                        "client_user": api.client_user(self.ours, self.shared.client["id"])[1],
                        "other_client_user": api.client_user(self.ours, other_client)[1],
                        "other_firm_client_user": api.client_user(self.theirs,
                                                                  other_firm_client)[1]}

    def target(self, name: str | None = None) -> Target:
        self.made += 1
        client = self.ours.new_client(name=name or f"Klant {self.made}",
                                      enterprise_number=be_number(500 + self.made))
        document = self.ours.upload(client["id"])
        shared = self.ours.admin.upload(f"/clients/{client['id']}/vault", PDF)
        assert shared.status == 201, shared
        return Target(client, document, shared.json["items"][0]["id"])

    @property
    def secrets(self) -> set[str]:
        """What only A's admins may know: the hidden client, its name and resources."""
        return {*self.hidden.ids.values(), "Verborgen NV"}

    def call(self, operation: Operation, role: str) -> tuple[Reply, str]:
        """The answer, and the request's path and body as text (what the caller said)."""
        if role == "hidden_accountant":
            target = self.hidden
        elif role in ("admin", "accountant") and operation.method != "GET":
            target = self.target()  # a change of its own: no cell depends on another
        else:
            target = self.shared
        values = {**target.ids, "token": self.invitation, "letter_id": "no-such-letter",
                  "parked_id": str(uuid.uuid4()), "mail_id": str(uuid.uuid4()),
                  "invoice_id": str(uuid.uuid4()), "entry_id": "no-such-entry",
                  "staff_id": str(uuid.uuid4()), "team_id": str(uuid.uuid4()),
                  "package": "ftp", "service_id": str(uuid.uuid4()),
                  "destination_id": str(uuid.uuid4()), "sending_id": str(uuid.uuid4())}
        path = operation.path.removeprefix("/api/v1").format(**values)
        return self._send(self.callers[role], operation, path, values)

    def _send(self, http: Http, operation: Operation, path: str, values: dict[str, str]
              ) -> tuple[Reply, str]:
        content = operation.spec.get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:
            body, kind = multipart([("invoice.pdf", PDF)])
            return http.call(operation.method, path, data=body,
                             headers={"Content-Type": kind}), path
        if "application/xml" in content:
            return http.call(operation.method, path, data=b"<Invoice/>",
                             headers={"Content-Type": "application/xml"}), path
        if "application/json" in content:
            name = content["application/json"]["schema"].get("$ref", "").rsplit("/", 1)[-1]
            body = BODIES.get(name, {})
            if body == "new client":
                self.made += 1
                body = client_body(enterprise_number=be_number(500 + self.made))
            text = (json.dumps(body).replace("{client_id}", values["client_id"])
                    .replace("{document_id}", values["document_id"]))
            return http.call(operation.method, path, json.loads(text)), path + text
        return http.call(operation.method, path), path


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    api: WaitressApi = request.getfixturevalue(f"waitress_{request.param}_api")
    yield World(api)


def test_every_operation_answers_every_kind_of_caller_as_its_description_says(world: World):
    started = time.monotonic()
    with urlopen(world.api.base + "/openapi.json", timeout=30) as response:
        described = operations(json.load(response))
    assert len(described) >= 40, "the OpenAPI document lost operations"
    wrong: list[str] = []
    for operation in described:
        for role in ROLES:
            reply, sent = world.call(operation, role)
            expected = operation.expected(role)
            if reply.status not in expected:
                wrong.append(f"{operation.id} as {role}: {reply.status}, expected "
                             f"{sorted(expected)}: {reply.content[:160]!r}")
            if role != "admin":  # an answer may repeat what the caller said, nothing more
                told = reply.content.decode(errors="replace")
                leaked = {s for s in world.secrets if s in told and s not in sent}
                if leaked:
                    wrong.append(f"{operation.id} as {role} leaked {leaked}")
    cells = len(described) * len(ROLES)
    print(f"authorization matrix: {len(described)} operations x {len(ROLES)} callers = "
          f"{cells} cells in {time.monotonic() - started:.1f} s")
    assert not wrong, "\n".join(wrong)
