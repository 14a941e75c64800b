"""The client portal's JSON API over real HTTP, as a client user's browser calls it
with its session cookie: their company, its documents, uploading (the staff upload's
checks and Idempotency-Key), auto-send; and nothing of another company, of the same
firm or another, whatever id they try."""

from __future__ import annotations

from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.http_client import Http, Reply, multipart

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _upload(http: Http, files: list[tuple[str, bytes]],
            headers: dict[str, str] | None = None) -> Reply:
    body, content_type = multipart(files)
    return http.call("POST", "/portal/documents", data=body,
                     headers={**(headers or {}), "Content-Type": content_type})


def test_a_client_user_reads_their_company_and_its_documents(api: ApiServer, firm: Firm):
    client = firm.new_client(name="Bakkerij Claes")
    document = firm.upload(client["id"])
    owner, http = api.client_user(firm, client["id"])
    me = http.get("/portal/me")
    assert me.status == 200, me
    assert me.json["user"]["email"] == owner.email and me.json["user"]["role"] == "owner"
    assert me.json["company"]["id"] == client["id"]
    assert me.json["company"]["inbox_address"].endswith("@inbox.localhost")
    listed = http.get("/portal/documents", status="Inbox")
    assert [d["id"] for d in listed.json["items"]] == [document["id"]]
    one = http.get(f"/portal/documents/{document['id']}")
    assert one.status == 200 and one.json["file_name"] == document["file_name"]
    content = http.get(f"/portal/documents/{document['id']}/content")
    assert content.status == 200 and content.content.startswith(b"%PDF")


def test_a_client_user_reaches_nothing_of_another_company_of_either_firm(
        api: ApiServer, firm: Firm):
    ours = firm.new_client(name="Onze Klant BV")
    neighbour = firm.new_client(name="Buurman BV")
    other_firm = api.firm("Andere Boekhouders")
    far = other_firm.new_client(name="Verre Klant NV")
    theirs = [firm.upload(neighbour["id"])["id"], other_firm.upload(far["id"])["id"]]
    _, http = api.client_user(firm, ours["id"])
    for document_id in theirs:
        for path in ("", "/content"):
            reply = http.get(f"/portal/documents/{document_id}{path}")
            assert reply.status == 404, (path, reply)
            assert b"Buurman" not in reply.content and b"Verre" not in reply.content
    listed = http.get("/portal/documents")
    assert listed.json["total"] == 0
    for staff_path in (f"/clients/{neighbour['id']}", f"/clients/{ours['id']}/documents",
                       f"/documents/{theirs[0]}", "/clients"):
        assert http.get(staff_path).status == 401, staff_path


def test_uploading_checks_each_file_and_answers_a_retry_once(api: ApiServer, firm: Firm):
    client = firm.new_client()
    _, http = api.client_user(firm, client["id"])
    first = _upload(http, [("brood.pdf", PDF)], {"Idempotency-Key": "upload-1"})
    assert first.status == 201, first
    assert first.json["channel"] == "upload" and first.json["client_id"] == client["id"]
    again = _upload(http, [("brood.pdf", PDF)], {"Idempotency-Key": "upload-1"})
    assert again.status == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json["id"] == first.json["id"]
    refused = _upload(http, [("ok.pdf", PDF), ("tool.exe", b"MZ\x90\x00")])
    assert refused.status == 422 and "file[1]" in refused.error["fields"]
    assert http.get("/portal/documents").json["total"] == 1
    staff = firm.admin.get(f"/clients/{client['id']}/documents").json["items"]
    assert [d["file_name"] for d in staff] == ["brood.pdf"]


def test_auto_send_is_the_companys_choice_and_the_history_names_the_client_user(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    owner, http = api.client_user(firm, client["id"])
    off = http.put("/portal/auto-send", {"auto_send": False})
    assert off.status == 200 and off.json["company"]["auto_send"] is False
    assert firm.admin.get(f"/clients/{client['id']}").json["auto_send"] is False
    history = firm.admin.get(f"/clients/{client['id']}/history").json["items"]
    [changed] = [e for e in history if e["what"] == "AutoSendChanged"]
    assert changed["actor"] == f"client_user:{owner.user_id}"
    assert changed["who"] == "a user of the client"
    no_csrf = Http(http.base, cookie=http.cookie)
    assert no_csrf.put("/portal/auto-send", {"auto_send": True}).status == 403
    assert http.put("/portal/auto-send", {"auto_send": "maybe"}).status == 400


def test_staff_credentials_are_no_client_users(api: ApiServer, firm: Firm):
    firm.new_client()
    assert firm.admin.get("/portal/me").status == 401
    assert Http(firm.admin.base).get("/portal/documents").status == 401
