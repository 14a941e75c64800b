"""Documents over HTTP: upload and download, typing, sending one or many, archiving,
deleting, and the rules that refuse them in the wrong state."""

from __future__ import annotations

import http.client as http_client
import os
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from lucy_events.aggregates.actors import Actor
from tests.e2e.api.conftest import UPLOAD_LIMIT, ApiServer, Firm
from tests.e2e.api.http_client import Http

ROUTER = Actor.system("router")


def _sent(api: ApiServer, firm: Firm, document_id: str) -> None:
    """Send the document as the router would: requested over HTTP, delivered, recorded."""
    assert firm.admin.post(f"/documents/{document_id}/send").status == 202
    api.services.app.record_sent(UUID(document_id), "clearfacts", "CF-1", ROUTER)
    api.settle()


def test_an_uploaded_document_downloads_byte_for_byte(any_api: ApiServer):
    firm = any_api.firm()
    client = firm.new_client()
    content = b"%PDF-1.7\n" + os.urandom(UPLOAD_LIMIT - 9)  # exactly the limit is allowed
    reply = firm.accountant.upload(f"/clients/{client['id']}/documents", content,
                                   file_name="factuur-été.pdf", document_type="receipt")
    assert reply.status == 201, reply
    document = reply.json
    assert reply.headers["Location"] == f"/api/v1/documents/{document['id']}"
    assert (document["status"], document["channel"], document["document_type"],
            document["size"], document["file_name"], document["media_type"]) == (
        "Inbox", "api", "receipt", UPLOAD_LIMIT, "factuur-été.pdf", "application/pdf")
    download = firm.admin.get(f"/documents/{document['id']}/content")
    assert download.status == 200 and download.content == content
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''factuur-%C3%A9t%C3%A9.pdf" in download.headers[
        "Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert firm.admin.get(f"/clients/{client['id']}").json["inbox_count"] == 1


def test_a_file_gets_its_media_type_from_its_content_not_its_name(firm: Firm):
    client = firm.new_client()
    reply = firm.admin.upload(f"/clients/{client['id']}/documents",
                              b"\x89PNG\r\n\x1a\n scanned", file_name="bon.pdf",
                              media_type="application/pdf")
    assert reply.status == 201 and (reply.json["file_name"], reply.json["media_type"]) == (
        "bon.pdf", "image/png")
    assert reply.json["document_type"] is None


def test_a_file_over_the_limit_is_a_413(firm: Firm):
    client = firm.new_client()
    reply = firm.admin.upload(f"/clients/{client['id']}/documents",
                              b"%PDF-" + b"x" * (UPLOAD_LIMIT - 4))
    assert reply.status == 413 and reply.error["code"] == "file_too_large"
    assert "the limit" in reply.error["message"]


def _declaring(http: Http, path: str, content_type: str, length: int) -> tuple[int, bytes]:
    """Send only the headers of a request declaring a body of ``length`` bytes."""
    url = urlsplit(http.base)
    connection = http_client.HTTPConnection(str(url.hostname), url.port, timeout=10)
    try:
        connection.putrequest("POST", url.path + path)
        connection.putheader("Authorization", f"Bearer {http.token}")
        connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}/documents"
    status, body = _declaring(firm.admin, path, "multipart/form-data; boundary=x",
                              100 * 1024 * 1024)
    assert status == 413 and b"request_entity_too_large" in body


def test_upload_form_mistakes_are_400s_naming_the_field(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}/documents"
    bad_type = firm.admin.upload(path, b"%PDF-", document_type="invoice")
    assert bad_type.status == 400 and list(bad_type.error["fields"]) == ["document_type"]
    extra = firm.admin.upload(path, b"%PDF-", comment="hi")
    assert extra.status == 400 and list(extra.error["fields"]) == ["comment"]
    no_file = firm.admin.call("POST", path, data=b"--b--\r\n",
                              headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert no_file.status == 400 and list(no_file.error["fields"]) == ["file"]


def test_the_client_documents_list_filters_by_status_and_pages_newest_first(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    first = firm.upload(client["id"])
    second = firm.upload(client["id"], document_type="sales-invoice")
    third = firm.upload(client["id"], document_type="receipt")
    firm.admin.post(f"/documents/{second['id']}/send")
    path = f"/clients/{client['id']}/documents"
    listed = firm.admin.get(path, page_size=2).json
    assert [d["id"] for d in listed["items"]] == [third["id"], second["id"]]
    assert (listed["total"], listed["page"], listed["page_size"]) == (3, 1, 2)
    assert [d["id"] for d in firm.admin.get(path, page=2, page_size=2).json["items"]] == [
        first["id"]]
    assert [d["id"] for d in firm.admin.get(path, status="Sending").json["items"]] == [
        second["id"]]
    both = firm.admin.get(path, status=["Inbox", "Sending"]).json
    assert both["total"] == 3
    bad = firm.admin.get(path, status="Lost")
    assert bad.status == 400 and "status.0" in bad.error["fields"]


def test_an_untyped_document_is_typed_then_sent(firm: Firm):
    client = firm.new_client()
    document = firm.admin.upload(f"/clients/{client['id']}/documents", b"%PDF-1.4").json
    refused = firm.admin.post(f"/documents/{document['id']}/send")
    assert refused.status == 409
    assert refused.error["code"] == "untyped_document_cannot_be_sent"
    typed = firm.accountant.put(f"/documents/{document['id']}/type",
                                {"document_type": "purchase-invoice"})
    assert typed.status == 200 and typed.json["document_type"] == "purchase-invoice"
    sending = firm.accountant.post(f"/documents/{document['id']}/send")
    assert sending.status == 202 and sending.json["status"] == "Sending"
    assert sending.json["attempts"] == 1
    twice = firm.accountant.post(f"/documents/{document['id']}/send")
    assert twice.status == 409 and twice.error["code"] == "send_already_requested"
    locked = firm.accountant.put(f"/documents/{document['id']}/type",
                                 {"document_type": "receipt"})
    assert locked.status == 409 and locked.error["code"] == "document_locked"


def test_a_sent_document_is_neither_sent_again_nor_deleted_but_archived(
        any_api: ApiServer):
    firm = any_api.firm()
    document = firm.upload(firm.new_client()["id"])
    not_yet = firm.admin.post(f"/documents/{document['id']}/archive")
    assert not_yet.status == 409 and not_yet.error["code"] == "archive_only_after_sent"
    _sent(any_api, firm, document["id"])
    shown = firm.admin.get(f"/documents/{document['id']}").json
    assert (shown["status"], shown["package"], shown["remote_reference"]) == (
        "Sent", "clearfacts", "CF-1")
    again = firm.admin.post(f"/documents/{document['id']}/send")
    assert again.status == 409 and again.error["code"] == "already_sent"
    assert "already sent" in again.error["message"]
    deleted = firm.admin.delete(f"/documents/{document['id']}")
    assert deleted.status == 409 and deleted.error["code"] == "sent_document_cannot_be_deleted"
    archived = firm.admin.post(f"/documents/{document['id']}/archive")
    assert archived.status == 200 and archived.json["status"] == "Archived"


def test_a_deleted_document_is_gone(firm: Firm):
    client = firm.new_client()
    document = firm.upload(client["id"])
    deleted = firm.accountant.delete(f"/documents/{document['id']}")
    assert deleted.status == 204 and deleted.content == b""
    assert firm.admin.get(f"/documents/{document['id']}").status == 404
    assert firm.admin.get(f"/documents/{document['id']}/content").status == 404
    assert firm.admin.delete(f"/documents/{document['id']}").status == 404
    assert firm.admin.get(f"/clients/{client['id']}/documents").json["total"] == 0


def test_bulk_send_requests_what_may_be_sent_and_says_why_not_for_the_rest(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    ready = firm.upload(client["id"])
    untyped = firm.admin.upload(f"/clients/{client['id']}/documents", b"%PDF-1.4 ?").json
    sending = firm.upload(client["id"])
    firm.admin.post(f"/documents/{sending['id']}/send")
    other_firm = api.firm()
    foreign = other_firm.upload(other_firm.new_client()["id"])
    unknown = str(uuid4())
    reply = firm.accountant.post("/documents/send", {"document_ids": [
        ready["id"], untyped["id"], sending["id"], foreign["id"], unknown, ready["id"]]})
    assert reply.status == 200, reply
    outcomes = {r["document_id"]: (r["outcome"], r["error"] and r["error"]["code"])
                for r in reply.json["results"]}
    assert [r["document_id"] for r in reply.json["results"]] == [
        ready["id"], untyped["id"], sending["id"], foreign["id"], unknown]
    assert outcomes == {
        ready["id"]: ("requested", None),
        untyped["id"]: ("refused", "untyped_document_cannot_be_sent"),
        sending["id"]: ("refused", "send_already_requested"),
        foreign["id"]: ("refused", "not_found"),
        unknown: ("refused", "not_found"),
    }
    assert (reply.json["requested"], reply.json["refused"]) == (1, 4)
    assert firm.admin.get(f"/documents/{ready['id']}").json["status"] == "Sending"
    assert other_firm.admin.get(f"/documents/{foreign['id']}").json["status"] == "Inbox"


def test_bulk_send_needs_a_list_of_document_ids(firm: Firm):
    for body, field in (({"document_ids": []}, "document_ids"),
                        ({"document_ids": ["nope"]}, "document_ids.0"),
                        ({}, "document_ids"), ({"ids": []}, "ids")):
        reply = firm.admin.post("/documents/send", body)
        assert reply.status == 400 and field in reply.error["fields"], (body, reply)


def test_a_json_body_over_a_megabyte_is_a_413(firm: Firm):
    status, body = _declaring(firm.admin, "/documents/send", "application/json",
                              1024 * 1024 + 1)
    assert status == 413 and b"request_entity_too_large" in body
