"""Recognition over HTTP, end to end: an uploaded Peppol invoice is read by the worker
(the real pipeline, in-process as in the embedded default), its fields show on the
document, a person corrects them, and a resent copy is held as a possible duplicate
until someone says it is not one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.api.conftest import ApiServer, Firm, _settings
from tests.peppol_support import LocalSml
from tests.ubl_samples import ubl_invoice


@pytest.fixture(scope="module")
def reading_api(tmp_path_factory: pytest.TempPathFactory,
                empty_sml: LocalSml) -> Iterator[ApiServer]:
    """A server of its own whose in-process consumers include the recognition worker."""
    server = ApiServer(_settings(tmp_path_factory.mktemp("api-recognition"), empty_sml))
    worker = server.services.consumer_runner(server.services.recognition_handlers(),
                                             poll_timeout=0.05)
    worker.start()
    yield server
    worker.stop()
    server.close()


def read_document(firm: Firm, document_id: str, timeout: float = 20) -> dict[str, Any]:
    """The document once the worker has read it and the read model shows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document: dict[str, Any] = firm.admin.get(f"/documents/{document_id}").json
        if document["recognition"] and document["recognition_method"]:
            return document
        time.sleep(0.05)
    raise AssertionError("the worker did not read the document")


def test_an_uploaded_invoice_is_read_corrected_and_its_duplicate_decided(reading_api):
    firm = reading_api.firm()
    client = firm.new_client(enterprise_number="0202.239.951")  # the invoice's customer
    reply = firm.accountant.upload(f"/clients/{client['id']}/documents", ubl_invoice(),
                                   file_name="F2026-118.xml", media_type="application/xml")
    assert reply.status == 201, reply
    document = read_document(firm, reply.json["id"])
    assert document["recognition"] == {"method": "ubl", "confidence": 0.99, "reason": None,
                                       "document_type": "purchase-invoice", "recognised": True}
    assert document["document_type"] == "purchase-invoice"
    assert document["fields"]["supplier_name"] == "Brouwerij Het Anker"
    assert (document["fields"]["invoice_number"], document["fields"]["issue_date"],
            document["fields"]["total_incl_vat"]) == ("F2026-118", "2026-11-03", "121.00")
    listed = firm.admin.get(f"/clients/{client['id']}/documents").json["items"][0]
    assert (listed["supplier_name"], listed["invoice_number"], listed["issue_date"],
            listed["total_incl_vat"]) == ("Brouwerij Het Anker", "F2026-118", "2026-11-03",
                                          "121.00")

    bad = firm.accountant.call("PATCH", f"/documents/{document['id']}/fields",
                               {"fields": {"issue_date": "3rd of November"}})
    assert bad.status == 422 and bad.error["fields"] == {
        "issue_date": "must be a date written YYYY-MM-DD"}
    corrected = firm.accountant.call("PATCH", f"/documents/{document['id']}/fields", {
        "fields": {"total_incl_vat": "1.210,00", "invoice_number": "F2026-118B"}})
    assert corrected.status == 200, corrected
    assert corrected.json["fields"]["total_incl_vat"] == "1210.00"
    assert corrected.json["total_incl_vat"] == "1210.00"  # the list's row too
    assert set(corrected.json["corrected_by"]) == {"total_incl_vat", "invoice_number"}

    again = firm.accountant.upload(f"/clients/{client['id']}/documents", ubl_invoice(),
                                   file_name="F2026-118 (2).xml", media_type="application/xml")
    copy = read_document(firm, again.json["id"])
    assert copy["possible_duplicate"] and copy["duplicate_of"] == document["id"]
    assert copy["duplicates"] == [{"document_id": document["id"], "ground": "same-content",
                                   "held": True}]
    refused = firm.accountant.post(f"/documents/{copy['id']}/send")
    assert refused.status == 409 and refused.error["code"] == "suspected_duplicate"
    decided = firm.accountant.post(f"/documents/{copy['id']}/not-duplicate")
    assert decided.status == 200 and decided.json["duplicates"] == []
    assert not decided.json["possible_duplicate"]
    assert firm.accountant.post(f"/documents/{copy['id']}/not-duplicate").status == 409
    assert firm.accountant.post(f"/documents/{copy['id']}/send").status == 202


def test_the_openapi_document_describes_correcting_and_deciding(reading_api):
    spec = reading_api.http_for(None).get("/openapi.json").json
    assert "patch" in spec["paths"]["/api/v1/documents/{document_id}/fields"]
    assert "post" in spec["paths"]["/api/v1/documents/{document_id}/not-duplicate"]
    detail = spec["components"]["schemas"]["DocumentDetail"]["properties"]
    assert {"fields", "recognition", "duplicates", "corrected_by"} <= set(detail)
