"""Clients over HTTP: creating, reading, listing with tabs, search, filters, sort and
pages, favourites on top, and the validation of what is sent."""

from __future__ import annotations

from tests.e2e.api.conftest import ApiServer, Firm, client_body
from tests.e2e.api.http_client import Http


def test_a_created_client_answers_201_with_its_location_and_reads_back_the_same(
        any_api: ApiServer):
    firm = any_api.firm()
    reply = firm.admin.post("/clients", client_body(name="Bakkerij Claes", vat_number=None))
    assert reply.status == 201, reply
    client = reply.json
    assert reply.headers["Location"] == f"/api/v1/clients/{client['id']}"
    assert client["status"] == "Created"
    assert client["enterprise_number"] == "0403170701"
    assert client["vat_number"] == "BE0403170701"
    assert client["auto_send"] is True and client["favourite"] is False
    assert client["profile"]["contact_person"]["email"] == "anna@bakkerij.example"
    assert client["created_at"].endswith("+00:00")
    assert firm.admin.get(f"/clients/{client['id']}").json == client


def test_a_dutch_client_is_created_with_its_kvk_and_btw_numbers(api: ApiServer, firm: Firm):
    client = firm.new_client(name="Bakkerij de Vries", country="NL",
                             enterprise_number="12345678", vat_number="NL004495445B01")
    assert (client["country"], client["enterprise_number"], client["vat_number"]) == (
        "NL", "12345678", "NL004495445B01")


def test_an_unknown_field_is_a_400_naming_it(firm: Firm):
    reply = firm.admin.post("/clients", client_body(nickname="Claesje"))
    assert reply.status == 400
    assert reply.error["code"] == "bad_request"
    assert reply.error["fields"] == {"nickname": "Unknown field."}


def test_an_unknown_nested_field_is_a_400_naming_its_path(firm: Firm):
    body = client_body()
    body["address"]["planet"] = "Earth"
    reply = firm.admin.post("/clients", body)
    assert reply.status == 400 and "address.planet" in reply.error["fields"]


def test_an_invalid_contact_email_is_a_400_naming_the_nested_field(firm: Firm):
    body = client_body()
    body["contact_person"]["email"] = "anna-at-bakkerij"
    reply = firm.admin.post("/clients", body)
    assert reply.status == 400
    assert list(reply.error["fields"]) == ["contact_person.email"]


def test_missing_and_unknown_values_are_400s_naming_each_field(firm: Firm):
    body = client_body(country="FR")
    del body["name"]
    reply = firm.admin.post("/clients", body)
    assert reply.status == 400 and set(reply.error["fields"]) == {"name", "country"}


def test_an_invalid_vat_number_is_a_422_naming_vat_number(firm: Firm):
    reply = firm.admin.post("/clients", client_body(enterprise_number=None,
                                                     vat_number="BE0403170702"))
    assert reply.status == 422
    assert reply.error["code"] == "invalid" and list(reply.error["fields"]) == ["vat_number"]


def test_an_invalid_enterprise_number_is_a_422_naming_enterprise_number(firm: Firm):
    reply = firm.admin.post("/clients", client_body(enterprise_number="0403.170.702"))
    assert reply.status == 422 and list(reply.error["fields"]) == ["enterprise_number"]


def test_a_body_that_is_not_json_is_a_400(firm: Firm):
    reply = firm.admin.call("POST", "/clients", data=b"{name: x",
                            headers={"Content-Type": "application/json"})
    assert reply.status == 400 and reply.error["code"] == "bad_request"


def test_an_unknown_team_is_a_422_naming_team_id(firm: Firm):
    reply = firm.admin.post("/clients", client_body(team_id=firm.id.hex))
    assert reply.status == 422 and list(reply.error["fields"]) == ["team_id"]


def test_only_an_admin_names_the_firm_contact_when_creating_a_client(firm: Firm):
    accountant_id = firm.office.accountant.id
    refused = firm.accountant.post("/clients", client_body(firm_contact_id=accountant_id))
    assert refused.status == 403 and refused.error["code"] == "forbidden"
    created = firm.new_client(firm_contact_id=accountant_id)
    assert created["firm_contact_id"] == accountant_id
    assert created["firm_contact_name"] == "Lotte Accountant"


def _names(http: Http, **query: object) -> list[str]:
    reply = http.get("/clients", **query)
    assert reply.status == 200, reply
    return [c["name"] for c in reply.json["items"]]


def test_the_list_pages_through_the_clients_by_name_either_way(firm: Firm):
    for name in ("Echo", "alpha", "Delta", "Bravo", "Charlie"):
        firm.new_client(name=name)
    first = firm.admin.get("/clients", page_size=2).json
    assert [c["name"] for c in first["items"]] == ["alpha", "Bravo"]
    assert (first["total"], first["page"], first["page_size"], first["tab"]) == (5, 1, 2, "all")
    assert _names(firm.admin, page_size=2, page=3) == ["Echo"]
    assert _names(firm.admin, sort="-name", page_size=3) == ["Echo", "Delta", "Charlie"]
    assert _names(firm.admin, page=9) == []


def test_search_finds_clients_by_part_of_their_name_or_number(firm: Firm):
    firm.new_client(name="Bakkerij Claes", enterprise_number="0403.170.701")
    firm.new_client(name="Slagerij Peeters")
    assert _names(firm.admin, q="claes") == ["Bakkerij Claes"]
    assert _names(firm.admin, q="0403.170") == ["Bakkerij Claes"]
    assert _names(firm.admin, q="erij") == ["Bakkerij Claes", "Slagerij Peeters"]


def test_filters_narrow_the_list_by_status_peppol_integration_inbox_and_team(
        api: ApiServer, firm: Firm):
    team_id = api.services.app.create_team(firm.id, "Team Gent", firm.office.admin)
    plain = firm.new_client(name="Plain")
    invited = firm.new_client(name="Invited")
    firm.admin.post(f"/clients/{invited['id']}/invitation")
    peppol = firm.new_client(name="Peppol")
    firm.admin.put(f"/clients/{peppol['id']}/peppol", {"send": True, "receive": False})
    linked = firm.new_client(name="Linked", team_id=str(team_id))
    assert firm.admin.put(f"/clients/{linked['id']}/integration", {
        "package": "clearfacts", "settings": {"purchase_address": "in@clearfacts.example"},
    }).status == 200
    firm.upload(plain["id"])
    assert _names(firm.admin, status="Invited") == ["Invited"]
    assert _names(firm.admin, peppol="send") == ["Peppol"]
    assert _names(firm.admin, peppol="none") == ["Invited", "Linked", "Plain"]
    assert _names(firm.admin, integration="clearfacts") == ["Linked"]
    assert _names(firm.admin, has_inbox="true") == ["Plain"]
    assert _names(firm.admin, team=str(team_id)) == ["Linked"]
    assert _names(firm.admin, team="none", status="Created") == ["Peppol", "Plain"]


def test_bad_list_parameters_are_400s_naming_them(firm: Firm):
    for query, field in (({"sort": "size"}, "sort"), ({"page_size": 1000}, "page_size"),
                         ({"colour": "red"}, "colour"), ({"team": "blue"}, "team"),
                         ({"page": 0}, "page"), ({"has_inbox": "maybe"}, "has_inbox")):
        reply = firm.admin.get("/clients", **query)
        assert reply.status == 400 and field in reply.error["fields"], (query, reply)


def test_favourites_come_first_for_their_staff_member_only(firm: Firm):
    for name in ("Alpha", "Bravo", "Charlie"):
        firm.new_client(name=name, firm_contact_id=firm.office.accountant.id)
    charlie = firm.admin.get("/clients", q="Charlie").json["items"][0]
    marked = firm.admin.put(f"/clients/{charlie['id']}/favourite")
    assert marked.status == 200 and marked.json["favourite"] is True
    assert _names(firm.admin) == ["Charlie", "Alpha", "Bravo"]
    assert _names(firm.admin, page_size=1, page=2) == ["Alpha"]
    assert _names(firm.accountant) == ["Alpha", "Bravo", "Charlie"]
    assert firm.admin.delete(f"/clients/{charlie['id']}/favourite").json["favourite"] is False
    assert _names(firm.admin) == ["Alpha", "Bravo", "Charlie"]


def test_accountants_have_the_onboarding_and_my_clients_tabs_only(firm: Firm):
    mine = firm.new_client(name="Mine", firm_contact_id=firm.office.accountant.id)
    firm.new_client(name="Someone else's")
    listed = firm.accountant.get("/clients").json
    assert listed["tab"] == "mine" and [c["id"] for c in listed["items"]] == [mine["id"]]
    assert listed["tab_counts"] == {"onboarding": 2, "mine": 1}
    assert _names(firm.accountant, tab="onboarding") == ["Mine", "Someone else's"]
    for tab in ("all", "invitations"):
        reply = firm.accountant.get("/clients", tab=tab)
        assert reply.status == 403 and reply.error["code"] == "forbidden"
    assert firm.admin.get("/clients").json["tab_counts"] == {
        "invitations": 0, "onboarding": 2, "mine": 0, "all": 2}


def test_a_hidden_client_does_not_exist_for_accountants(firm: Firm):
    hidden = firm.new_client(name="Hidden", firm_contact_id=firm.office.accountant.id)
    firm.new_client(name="Shown", firm_contact_id=firm.office.accountant.id)
    document = firm.upload(hidden["id"])
    reply = firm.admin.put(f"/clients/{hidden['id']}/visibility", {"hidden": True})
    assert reply.status == 200 and reply.json["hidden"] is True
    assert _names(firm.accountant) == ["Shown"]
    assert _names(firm.accountant, tab="onboarding") == ["Shown"]
    assert _names(firm.admin) == ["Hidden", "Shown"]
    for path in (f"/clients/{hidden['id']}", f"/clients/{hidden['id']}/documents",
                 f"/clients/{hidden['id']}/history", f"/documents/{document['id']}",
                 f"/documents/{document['id']}/content"):
        reply = firm.accountant.get(path)
        assert reply.status == 404 and reply.error["code"] == "not_found", path
    assert firm.accountant.upload(f"/clients/{hidden['id']}/documents", b"x",
                                  document_type="receipt").status == 404
    assert firm.accountant.put(f"/clients/{hidden['id']}/favourite").status == 404
    assert firm.accountant.post(f"/documents/{document['id']}/send").status == 404
