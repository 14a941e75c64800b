"""Uploads over HTTP: several files at once, every file checked before any is kept,
and a retried upload answered once (Idempotency-Key)."""

from __future__ import annotations

import threading

from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.http_client import Http, Reply, multipart

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
UBL = (b'<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:'
       b'xsd:Invoice-2"><ID>F-1</ID></Invoice>')


def _send(http: Http, client_id: str, files: list[tuple[str, bytes]],
          headers: dict[str, str] | None = None, **fields: str) -> Reply:
    body, content_type = multipart(files, **fields)
    return http.call("POST", f"/clients/{client_id}/documents", data=body,
                     headers={**(headers or {}), "Content-Type": content_type})


def _total(firm: Firm, client_id: str) -> int:
    total: int = firm.admin.get(f"/clients/{client_id}/documents").json["total"]
    return total


def test_several_files_in_one_upload_become_several_documents_typed_by_their_content(
        firm: Firm):
    client = firm.new_client()
    reply = _send(firm.accountant, client["id"],
                  [("a.pdf", PDF), ("scan.jpg", PNG), ("factuur.xml", UBL)],
                  document_type="purchase-invoice")
    assert reply.status == 201, reply
    items = reply.json["items"]
    assert [(d["file_name"], d["media_type"], d["channel"], d["document_type"])
            for d in items] == [
        ("a.pdf", "application/pdf", "api", "purchase-invoice"),
        ("scan.jpg", "image/png", "api", "purchase-invoice"),
        ("factuur.xml", "application/xml", "api", "purchase-invoice")]
    assert _total(firm, client["id"]) == 3


def test_a_file_of_another_kind_refuses_the_whole_upload_naming_the_file(firm: Firm):
    client = firm.new_client()
    reply = _send(firm.admin, client["id"], [("a.pdf", PDF), ("notes.txt", b"hello")])
    assert reply.status == 422, reply
    assert list(reply.error["fields"]) == ["file[1]"]
    assert '"notes.txt" is not a PDF, PNG, JPEG, TIFF or UBL' in reply.error["message"]
    assert _total(firm, client["id"]) == 0  # the good file was not kept either


def test_an_empty_file_is_refused(firm: Firm):
    reply = _send(firm.admin, firm.new_client()["id"], [("empty.pdf", b"")])
    assert reply.status == 422 and reply.error["fields"] == {
        "file": '"empty.pdf" is empty (0 bytes)'}


def test_a_name_with_a_nul_byte_or_a_path_is_refused(firm: Firm):
    client_id = firm.new_client()["id"]
    nul = _send(firm.admin, client_id, [("evil\x00.pdf", PDF)])
    assert nul.status == 422 and "NUL byte" in nul.error["fields"]["file"], nul
    # (in a quoted header value a backslash is escaped: C:\\scans\\a.pdf is C:\scans\a.pdf)
    for name in ("../../etc/passwd.pdf", "C:\\\\scans\\\\a.pdf", "scans/2026/bon.pdf"):
        path = _send(firm.admin, client_id, [(name, PDF)])
        assert path.status == 422 and "path separator" in path.error["fields"]["file"], path
    assert _total(firm, client_id) == 0


def test_an_upload_without_a_file_is_a_400_naming_the_field(firm: Firm):
    reply = _send(firm.admin, firm.new_client()["id"], [], document_type="receipt")
    assert reply.status == 400 and list(reply.error["fields"]) == ["file"]


def test_a_retried_upload_with_the_same_key_answers_the_first_answer_and_adds_nothing(
        any_api: ApiServer):
    firm = any_api.firm()
    client_id = firm.new_client()["id"]
    key = {"Idempotency-Key": "upload-7f3a"}
    first = _send(firm.admin, client_id, [("a.pdf", PDF)], key)
    # A new multipart boundary, as a real client's retry would draw: still the same request.
    again = _send(firm.admin, client_id, [("a.pdf", PDF)], key)
    assert first.status == again.status == 201
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _total(firm, client_id) == 1
    other_firm = any_api.firm()  # a key is the firm's own
    theirs = _send(other_firm.admin, other_firm.new_client()["id"], [("a.pdf", PDF)], key)
    assert theirs.status == 201 and theirs.json["id"] != first.json["id"]


def test_the_same_key_with_a_different_upload_is_a_422(firm: Firm):
    client_id = firm.new_client()["id"]
    key = {"Idempotency-Key": "k-1"}
    assert _send(firm.admin, client_id, [("a.pdf", PDF)], key).status == 201
    changed = _send(firm.admin, client_id, [("a.pdf", PDF + b"changed")], key)
    assert changed.status == 422 and list(changed.error["fields"]) == ["Idempotency-Key"]
    typed = _send(firm.admin, client_id, [("a.pdf", PDF)], key, document_type="receipt")
    assert typed.status == 422
    bad = _send(firm.admin, client_id, [("a.pdf", PDF)], {"Idempotency-Key": "with space"})
    assert bad.status == 422 and list(bad.error["fields"]) == ["Idempotency-Key"]
    assert _total(firm, client_id) == 1


def test_a_refused_upload_keeps_no_answer_so_its_corrected_retry_is_not_a_conflict(
        firm: Firm):
    client_id = firm.new_client()["id"]
    key = {"Idempotency-Key": "k-2"}
    assert _send(firm.admin, client_id, [("a.pdf", b"")], key).status == 422
    assert _send(firm.admin, client_id, [("a.pdf", PDF)], key).status == 201


def test_two_identical_uploads_at_the_same_moment_make_one_document(any_api: ApiServer):
    firm = any_api.firm()
    client_id = firm.new_client()["id"]
    replies: list[Reply] = []
    start = threading.Barrier(4)

    def upload() -> None:
        start.wait()
        replies.append(_send(firm.admin, client_id, [("same.pdf", PDF)],
                             {"Idempotency-Key": "at-once"}))

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.status for r in replies] == [201] * 4, replies
    assert len({r.json["id"] for r in replies}) == 1
    assert sum(1 for r in replies if "Idempotent-Replayed" not in r.headers) == 1
    assert _total(firm, client_id) == 1


def test_a_chunked_upload_over_the_limit_is_stopped_while_it_is_read(firm: Firm):
    """Behind a server that streams the body to the application (werkzeug's), the edge
    counts what it reads of a body without a declared length."""
    import http.client
    from urllib.parse import urlsplit

    from tests.e2e.api.conftest import UPLOAD_LIMIT

    url = urlsplit(firm.admin.base)
    path = f"{url.path}/clients/{firm.new_client()['id']}/documents"
    body, content_type = multipart([("big.pdf", b"%PDF-" + b"x" * (UPLOAD_LIMIT * 2))])
    connection = http.client.HTTPConnection(str(url.hostname), url.port, timeout=10)
    try:
        connection.request("POST", path, body=iter([body[i:i + 8192] for i in range(
            0, len(body), 8192)]), headers={"Authorization": f"Bearer {firm.admin.token}",
                                            "Content-Type": content_type},
            encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert b"request_entity_too_large" in response.read()
    finally:
        connection.close()


def test_the_dashboards_upload_form_needs_its_csrf_token_and_files_the_channel_upload(
        api: ApiServer, firm: Firm):
    """The plain form as a browser without JavaScript posts it, to the dashboard."""
    from urllib.error import HTTPError
    from urllib.request import HTTPRedirectHandler, Request, build_opener

    cookie = api.session_cookie(firm.id, firm.office.accountant, "the-secret")
    client_id = firm.new_client()["id"]
    url = api.base.removesuffix("/api/v1") + f"/clients/{client_id}/documents/upload"

    class Stay(HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def post(**fields: str) -> int:
        body, content_type = multipart([("a.pdf", PDF), ("b.png", PNG)], **fields)
        request = Request(url, data=body, method="POST", headers={
            "Cookie": cookie, "Content-Type": content_type})
        try:
            with build_opener(Stay).open(request, timeout=30) as response:
                return int(response.status)
        except HTTPError as error:
            return error.code

    assert post() == 400  # no CSRF token: refused, nothing kept
    assert _total(firm, client_id) == 0
    assert post(csrf_token="the-secret", document_type="receipt") == 303
    listed = firm.admin.get(f"/clients/{client_id}/documents").json["items"]
    assert sorted((d["file_name"], d["channel"], d["document_type"]) for d in listed) == [
        ("a.pdf", "upload", "receipt"), ("b.png", "upload", "receipt")]
