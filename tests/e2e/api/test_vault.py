"""The vault over HTTP: a client's shared files uploaded, listed, downloaded and
deleted; more kinds than documents, the same rules for names and sizes; never a
document, never sent; in the client's history."""

from __future__ import annotations

import io
import zipfile

from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.http_client import Reply, multipart

PDF = b"%PDF-1.7\n% aangifte vennootschapsbelasting 2025\n%%EOF\n"


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _share(firm: Firm, client_id: str, files: list[tuple[str, bytes]],
           headers: dict[str, str] | None = None) -> Reply:
    body, content_type = multipart(files)
    return firm.accountant.call("POST", f"/clients/{client_id}/vault", data=body,
                                headers={**(headers or {}), "Content-Type": content_type})


def test_files_shared_in_the_vault_are_listed_downloaded_and_deleted(any_api: ApiServer):
    firm = any_api.firm()
    client_id = firm.new_client()["id"]
    document = firm.upload(client_id)  # the client's documents are another matter
    xlsx = _xlsx()
    reply = _share(firm, client_id, [("aangifte-2025.pdf", PDF), ("balans.xlsx", xlsx),
                                     ("rekeningen.csv", b"datum;bedrag\n2025-12-31;100\n"),
                                     ("nota.txt", b"Bijgevoegd: de aangifte.")])
    assert reply.status == 201, reply
    assert [(f["file_name"], f["media_type"], f["size"]) for f in reply.json["items"]] == [
        ("aangifte-2025.pdf", "application/pdf", len(PDF)),
        ("balans.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", len(xlsx)),
        ("rekeningen.csv", "text/csv", 28), ("nota.txt", "text/plain", 24)]
    pdf_id = reply.json["items"][0]["id"]
    listed = firm.admin.get(f"/clients/{client_id}/vault").json
    assert listed["total"] == 4
    assert {f["id"] for f in listed["items"]} == {f["id"] for f in reply.json["items"]}
    assert all(f["added_by"] == f"staff:{firm.office.accountant.id}" for f in listed["items"])
    download = firm.admin.get(f"/clients/{client_id}/vault/{pdf_id}")
    assert download.status == 200 and download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert firm.admin.delete(f"/clients/{client_id}/vault/{pdf_id}").status == 204
    assert firm.admin.get(f"/clients/{client_id}/vault/{pdf_id}").status == 404
    assert firm.admin.delete(f"/clients/{client_id}/vault/{pdf_id}").status == 404
    assert firm.admin.get(f"/clients/{client_id}/vault").json["total"] == 3
    # Never a document of the client, so nothing the router or auto-send could send.
    documents = firm.admin.get(f"/clients/{client_id}/documents").json
    assert [d["id"] for d in documents["items"]] == [document["id"]]
    assert firm.admin.get(f"/clients/{client_id}").json["inbox_count"] == 1


def test_the_vault_refuses_what_it_cannot_keep_naming_the_file(firm: Firm):
    client_id = firm.new_client()["id"]
    for files, field, words in (
            ([("a.pdf", PDF), ("run.exe", b"MZ\x90\x00\x03")], "file[1]", '"run.exe" is not'),
            ([("leeg.pdf", b"")], "file", "is empty (0 bytes)"),
            ([("bad\x00.pdf", PDF)], "file", "NUL byte"),
            ([("../etc/a.pdf", PDF)], "file", "path separator"),
            ([("bin.txt", b"text\x00\x01binary")], "file", "is not a PDF")):
        reply = _share(firm, client_id, files)
        assert reply.status == 422 and words in reply.error["fields"][field], (files, reply)
    assert firm.admin.get(f"/clients/{client_id}/vault").json["total"] == 0


def test_a_vault_file_over_the_limit_is_a_413(firm: Firm):
    from tests.e2e.api.conftest import UPLOAD_LIMIT

    reply = _share(firm, firm.new_client()["id"], [("big.pdf", b"%PDF-" + b"x" * UPLOAD_LIMIT)])
    assert reply.status == 413 and reply.error["code"] == "file_too_large"


def test_a_retried_vault_upload_is_kept_once(firm: Firm):
    client_id = firm.new_client()["id"]
    key = {"Idempotency-Key": "vault-1"}
    first, again = (_share(firm, client_id, [("a.pdf", PDF)], key) for _ in range(2))
    assert first.status == again.status == 201 and first.json == again.json
    assert firm.admin.get(f"/clients/{client_id}/vault").json["total"] == 1


def test_another_firms_or_a_hidden_clients_vault_is_not_found(api: ApiServer, firm: Firm):
    hidden = firm.new_client(name="Verborgen")
    shared = _share(firm, hidden["id"], [("a.pdf", PDF)]).json["items"][0]["id"]
    assert firm.admin.put(f"/clients/{hidden['id']}/visibility", {"hidden": True}).status == 200
    other = api.firm()
    for http in (firm.accountant, other.admin):
        assert http.get(f"/clients/{hidden['id']}/vault").status == 404
        assert http.get(f"/clients/{hidden['id']}/vault/{shared}").status == 404
        assert http.delete(f"/clients/{hidden['id']}/vault/{shared}").status == 404
    # Another client's file id under a visible client of the other firm: not found either.
    theirs = other.new_client()["id"]
    assert other.admin.get(f"/clients/{theirs}/vault/{shared}").status == 404
    assert firm.admin.get(f"/clients/{hidden['id']}/vault").json["total"] == 1


def test_the_vault_is_in_the_clients_history(firm: Firm):
    client_id = firm.new_client()["id"]
    firm.upload(client_id)
    shared = _share(firm, client_id, [("jaarrekening.pdf", PDF)]).json["items"][0]["id"]
    firm.admin.delete(f"/clients/{client_id}/vault/{shared}")
    entries = firm.admin.get(f"/clients/{client_id}/history").json["items"]
    vault = [(e["what"], e["subject"]) for e in entries if e["subject"] == "vault"]
    assert vault == [("VaultOpened", "vault"), ("VaultFileAdded", "vault"),
                     ("VaultFileDeleted", "vault")]
    deleted = next(e for e in entries if e["what"] == "VaultFileDeleted")
    assert deleted["details"] == {"file_id": shared, "file_name": "jaarrekening.pdf"}
