"""Yuki delivery against a local HTTP server playing Yuki's Archive SOAP service."""

from __future__ import annotations

import pytest

from lucy_events.routers.integrations import (
    InMemorySecretStore,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
    Yuki,
)
from lucy_events.routers.integrations.transport import HttpClient
from tests.integration.delivery.conftest import PDF
from tests.integration.delivery.fake_yuki import ACCESS_KEY

ADMINISTRATION = "6f1c8a4e-2b1d-4c55-9e0b-5a1f0c2d3e4f"


@pytest.fixture
def adapter() -> Yuki:
    secrets = InMemorySecretStore({"yuki-firm": {"access_key": ACCESS_KEY},
                                   "yuki-wrong": {"access_key": "not-the-key"}})
    return Yuki(secrets, http=HttpClient(timeout=5.0))


def target(yuki, credentials: str = "yuki-firm") -> Target:
    url, _ = yuki
    return Target("yuki-api", "api", {"administration": ADMINISTRATION},
                  {"base_url": f"{url}/ws/Archive.asmx"}, credentials)


def test_a_purchase_invoice_is_uploaded_to_the_yuki_purchase_folder_of_the_administration(
        yuki, adapter, outgoing):
    _, server = yuki
    document = outgoing()
    delivered = adapter.deliver(document, target(yuki))

    assert [action for action, _ in server.calls] == ["Authenticate", "UploadDocument"]
    assert server.calls[0][1] == {"accessKey": ACCESS_KEY}
    [upload] = server.uploads
    assert upload["sessionID"] in server.sessions
    assert upload["fileName"] == f"lucy-{document.document_id.hex}-invoice-2026-117.pdf"
    assert upload["content"] == PDF
    assert (upload["folder"], upload["administrationID"]) == ("1", ADMINISTRATION)
    assert delivered.remote_reference == upload["id"]


@pytest.mark.parametrize(("document_type", "folder"), [
    ("sales-invoice", "2"), ("sales-credit-note", "2"), ("bank-statement", "3"),
    ("other", "8"), ("receipt", "1"), ("purchase-credit-note", "1"),
])
def test_each_document_type_goes_to_its_yuki_archive_folder(
        yuki, adapter, outgoing, document_type, folder):
    _, server = yuki
    adapter.deliver(outgoing(document_type=document_type), target(yuki))
    assert server.uploads[0]["folder"] == folder


def test_a_yuki_session_is_reused_and_renewed_once_when_yuki_forgot_it(
        yuki, adapter, outgoing):
    _, server = yuki
    adapter.deliver(outgoing(), target(yuki))
    adapter.deliver(outgoing(), target(yuki))
    server.expire_sessions()
    adapter.deliver(outgoing(), target(yuki))

    assert [action for action, _ in server.calls] == [
        "Authenticate", "UploadDocument", "UploadDocument",
        "UploadDocument", "Authenticate", "UploadDocument"]
    assert len(server.uploads) == 3


def test_a_refused_yuki_access_key_is_a_permanent_failure(yuki, adapter, outgoing):
    with pytest.raises(PermanentDeliveryError, match="accessKey"):
        adapter.deliver(outgoing(), target(yuki, credentials="yuki-wrong"))
    assert yuki[1].uploads == []


def test_a_spent_yuki_daily_call_limit_is_a_transient_failure(yuki, adapter, outgoing):
    _, server = yuki
    server.fault_on_upload = "The maximum number of webservice calls per day has been reached."
    with pytest.raises(TransientDeliveryError, match="per day"):
        adapter.deliver(outgoing(), target(yuki))


def test_a_file_yuki_cannot_read_is_rejected_by_the_package(yuki, adapter, outgoing):
    _, server = yuki
    server.fault_on_upload = "The file could not be processed: unsupported file extension."
    with pytest.raises(RejectedByPackage, match="unsupported file extension"):
        adapter.deliver(outgoing(file_name="invoice.exe"), target(yuki))


def test_yuki_cannot_be_asked_for_a_delivered_document(yuki, adapter, outgoing):
    document = outgoing()
    adapter.deliver(document, target(yuki))
    assert adapter.find_delivered(document, target(yuki)) is None
    assert yuki[1].calls[-1][0] == "UploadDocument"  # no lookup call was made
