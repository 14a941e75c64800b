"""A client's audit trail over HTTP: when, who, what, as of any moment."""

from __future__ import annotations

from tests.e2e.api.conftest import ApiServer, Firm


def test_the_history_says_when_who_and_what_for_the_client_and_its_documents(
        any_api: ApiServer):
    firm = any_api.firm()
    client = firm.new_client()
    firm.accountant.post(f"/clients/{client['id']}/invitation")
    document = firm.upload(client["id"], http=firm.accountant)
    firm.admin.post(f"/documents/{document['id']}/send")
    reply = firm.admin.get(f"/clients/{client['id']}/history")
    assert reply.status == 200, reply
    entries = reply.json["items"]
    assert [(e["what"], e["who"], e["subject"]) for e in entries] == [
        ("ClientCreated", "Sofie Admin", "client"),
        ("Invited", "Lotte Accountant", "client"),
        ("DocumentReceived", "Lotte Accountant", "document"),
        ("SendRequested", "Sofie Admin", "document"),
    ]
    assert reply.json["total"] == 4
    assert entries[1]["actor"] == f"staff:{firm.office.accountant.id}"
    assert entries[1]["details"]["email"] == "anna@bakkerij.example"
    assert "token_hash" not in entries[1]["details"]
    assert entries[2]["subject_id"] == document["id"]
    assert entries[2]["details"]["file_name"] == "invoice.pdf"
    assert all(e["when"].endswith("+00:00") for e in entries)


def test_as_of_shows_only_what_had_happened_by_then(api: ApiServer, firm: Firm):
    client = firm.new_client()
    firm.admin.put(f"/clients/{client['id']}/auto-send", {"auto_send": False})
    firm.admin.put(f"/clients/{client['id']}/auto-send", {"auto_send": True})
    path = f"/clients/{client['id']}/history"
    entries = firm.admin.get(path).json["items"]
    assert firm.admin.get(path, as_of=entries[1]["when"]).json["total"] == 2
    assert firm.admin.get(path, as_of="2000-01-01").json["items"] == []
    assert firm.admin.get(path, as_of="2999-12-31").json["total"] == 3
    second = firm.admin.get(path, page=2, page_size=1).json
    assert [e["what"] for e in second["items"]] == ["AutoSendChanged"]
    bad = firm.admin.get(path, as_of="last week")
    assert bad.status == 400 and list(bad.error["fields"]) == ["as_of"]


def test_a_deleted_document_stays_in_the_history_and_another_clients_never_enters_it(
        api: ApiServer, firm: Firm):
    client, other = firm.new_client(), firm.new_client(name="Garage De Smet")
    document = firm.upload(client["id"])
    firm.upload(other["id"])
    assert firm.admin.delete(f"/documents/{document['id']}").status == 204
    entries = firm.admin.get(f"/clients/{client['id']}/history").json["items"]
    assert [(e["what"], e["subject_id"]) for e in entries if e["subject"] == "document"] == [
        ("DocumentReceived", document["id"]), ("DocumentDeleted", document["id"])]
