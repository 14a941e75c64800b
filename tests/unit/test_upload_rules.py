"""What a file must be to enter (documents and the vault), the vault's own rules, and
the request body limit at the WSGI edge."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from uuid import uuid4

import pytest
from werkzeug.test import EnvironBuilder

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.vault import Vault, VaultFileNotFound
from lucy_events.config import ConfigError, Settings
from lucy_events.intake.files import (
    Destination,
    FileTooLarge,
    accepted_file,
    valid_file_name,
)
from lucy_events.intake.media_types import DOCX, XLSX, vault_media_type
from lucy_events.web.body_limit import FRAMING, BodyLimit, BodyTooLarge

PDF = b"%PDF-1.7\n%%EOF\n"
STAFF = Actor.staff(uuid4(), Role.ACCOUNTANT)
SHA = "a" * 64


def _office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in ("[Content_Types].xml", *parts):
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["factuur 12.pdf", "été-2026.PDF", " bon.jpg "])
def test_a_bare_file_name_is_kept_as_given_without_surrounding_spaces(name):
    assert valid_file_name(name) == name.strip()


@pytest.mark.parametrize("name,words", [
    ("", "has no file name"), (None, "has no file name"), ("a\x00.pdf", "NUL byte"),
    ("../a.pdf", "path separator"), ("dir\\a.pdf", "path separator"),
    ("a\r\nb.pdf", "control character"), ("..", "not a file name"),
    ("x" * 256, "longer than 255"),
])
def test_a_name_that_is_no_bare_file_name_is_refused_naming_the_field(name, words):
    with pytest.raises(InvalidValue) as error:
        valid_file_name(name, "file[2]")
    assert error.value.field == "file[2]" and words in error.value.message
    assert "\x00" not in str(error.value)  # shown escaped, never raw


def test_a_document_is_typed_by_its_content_and_named_in_every_refusal():
    assert accepted_file("scan.pdf", b"\xff\xd8\xff\xe0 jpeg", limit=100).media_type == (
        "image/jpeg")
    with pytest.raises(InvalidValue) as error:
        accepted_file("notes.txt", b"hello", limit=100)
    assert error.value.field == "file" and error.value.message.startswith('"notes.txt" is not')
    with pytest.raises(InvalidValue, match=r'"empty\.pdf" is empty'):
        accepted_file("empty.pdf", b"", limit=100)


def test_a_file_over_the_limit_is_too_large_and_one_at_the_limit_is_not():
    assert accepted_file("a.pdf", PDF + b"x" * 5, limit=len(PDF) + 5).file_name == "a.pdf"
    with pytest.raises(FileTooLarge, match="larger than 20 bytes"):
        accepted_file("a.pdf", PDF + b"x" * 6, limit=20)


def test_the_vault_takes_office_files_and_text_besides_the_document_kinds():
    vault = Destination.VAULT
    assert accepted_file("a.pdf", PDF, limit=10**6, destination=vault).media_type == (
        "application/pdf")
    assert vault_media_type(_office("xl/workbook.xml"), "b.xlsx") == XLSX
    assert vault_media_type(_office("word/document.xml"), "c.bin") == DOCX
    assert vault_media_type(b"a;b\n1;2\n", "d.CSV") == "text/csv"
    assert vault_media_type("Jaarrekening €\n".encode(), "e") == "text/plain"
    for content in (_office("other.xml"), b"PK\x03\x04 not a zip", b"\x00\x01\x02",
                    b"MZ\x90\x00", "caf\xe9".encode("latin-1")):
        with pytest.raises(InvalidValue, match="is not a PDF, PNG, JPEG, TIFF, UBL XML"):
            vault_media_type(content, "f.xlsx")
    with pytest.raises(InvalidValue, match=r'"notes\.txt" is not'):
        accepted_file("notes.txt", b"hello", limit=100)  # but not among the documents


def test_a_vault_keeps_files_until_they_are_deleted_and_has_one_id_per_client():
    client_id = uuid4()
    assert Vault.id_for(client_id) == Vault.id_for(client_id) != Vault.id_for(uuid4())
    vault = Vault.open(firm_id=uuid4(), client_id=client_id, by=STAFF)
    assert vault.id == Vault.id_for(client_id)
    file_id = uuid4()
    vault.add_file(file_id=file_id, file_name="a.pdf", media_type="application/pdf",
                   size=10, sha256=SHA, blob_ref=f"sha256:{SHA}", by=STAFF)
    with pytest.raises(InvalidValue, match="already has a file"):
        vault.add_file(file_id=file_id, file_name="a.pdf", media_type="application/pdf",
                       size=10, sha256=SHA, blob_ref=f"sha256:{SHA}", by=STAFF)
    with pytest.raises(InvalidValue) as empty:
        vault.add_file(file_id=uuid4(), file_name="b.pdf", media_type="application/pdf",
                       size=0, sha256=SHA, blob_ref=f"sha256:{SHA}", by=STAFF)
    assert empty.value.field == "size"
    vault.delete_file(file_id, by=STAFF)
    assert vault.files == {}
    with pytest.raises(VaultFileNotFound):
        vault.delete_file(file_id, by=STAFF)
    events = vault.collect_events()
    assert [type(e).__name__ for e in events] == ["VaultOpened", "VaultFileAdded",
                                                  "VaultFileDeleted"]
    assert events[-1].file_name == "a.pdf" and events[-1].actor == str(STAFF)


def _call(middleware: BodyLimit, builder: EnvironBuilder, **environ: str
          ) -> tuple[str, bytes]:
    answered: list[str] = []
    body = b"".join(middleware({**builder.get_environ(), **environ},
                               lambda status, headers: answered.append(status)))
    return answered[0], body


def _app_reading_everything(environ, start_response):
    data = environ["wsgi.input"].read()
    start_response("200 OK", [])
    return [str(len(data)).encode()]


def test_the_edge_refuses_a_declared_length_over_the_limit_without_reading_a_byte():
    read: list[int] = []

    def app(environ, start_response):  # must not be reached
        read.append(1)
        return _app_reading_everything(environ, start_response)

    for path, words in (("/api/v1/clients/x/documents", b"request_entity_too_large"),
                        ("/clients/x/documents/upload", b"upload fewer or smaller files")):
        builder = EnvironBuilder(path=path, method="POST", input_stream=io.BytesIO(b""))
        status, body = _call(BodyLimit(app, 1000), builder,
                             CONTENT_LENGTH=str(1000 + FRAMING + 1))
        assert status.startswith("413") and words in body and not read
    within = EnvironBuilder(method="POST", data=b"x" * (1000 + FRAMING))
    assert _call(BodyLimit(_app_reading_everything, 1000), within) == (
        "200 OK", str(1000 + FRAMING).encode())


def test_the_edge_counts_a_body_without_a_declared_length_while_it_is_read():
    builder = EnvironBuilder(method="POST", input_stream=io.BytesIO(b"x" * (FRAMING + 2000)),
                             headers={"Transfer-Encoding": "chunked"})
    environ = builder.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    with pytest.raises(BodyTooLarge):
        BodyLimit(_app_reading_everything, 1000)(environ, lambda *a: None)


def test_the_upload_limit_is_25_mib_unless_set_and_a_bad_value_names_the_variable():
    assert Settings.from_env({}).max_upload_bytes == 25 * 1024 * 1024
    assert Settings.from_env({"LUCY_MAX_UPLOAD_BYTES": "1000"}).max_upload_bytes == 1000
    for bad in ("25MB", "0"):
        with pytest.raises(ConfigError, match="LUCY_MAX_UPLOAD_BYTES"):
            Settings.from_env({"LUCY_MAX_UPLOAD_BYTES": bad, "LUCY_DATA_DIR": str(Path("v"))})
