"""Signed webhook delivery against a local receiver that verifies every signature."""

from __future__ import annotations

import base64
import time

import pytest
from structlog.testing import capture_logs

from lucy_events.routers.integrations import (
    InMemorySecretStore,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
    Webhook,
)
from lucy_events.routers.integrations.transport import HttpClient
from tests.integration.delivery.conftest import PDF
from tests.integration.delivery.fake_webhook import SECRET


@pytest.fixture
def adapter() -> Webhook:
    secrets = InMemorySecretStore({"hook": {"secret": SECRET}, "other": {"secret": "nope"}})
    return Webhook(secrets, http=HttpClient(timeout=5.0))


def target(webhook, credentials: str = "hook", package: str = "webhook") -> Target:
    url, _ = webhook
    return Target(package, "api", {}, {"url": f"{url}/hooks/documents"}, credentials)


def test_a_document_is_posted_to_the_webhook_signed_with_the_shared_secret(
        webhook, adapter, outgoing):
    _, receiver = webhook
    document = outgoing()
    delivered = adapter.deliver(document, target(webhook))

    [request] = receiver.received
    headers, body = request["headers"], request["document"]
    assert headers["Idempotency-Key"] == f"lucy-{document.document_id.hex}"
    assert abs(int(headers["X-Lucy-Timestamp"]) - time.time()) < 60
    assert base64.b64decode(body["content_base64"]) == PDF
    assert (body["document_id"], body["document_type"], body["file_name"]) == (
        str(document.document_id), "purchase-invoice", "invoice-2026-117.pdf")
    assert body["client"] == {"name": "Bakkerij Janssens BV", "vat": "BE0123456749",
                              "enterprise_number": "0123456749"}
    assert delivered.remote_reference == receiver.references[headers["Idempotency-Key"]]


def test_a_webhook_that_already_has_the_document_answers_409_and_it_counts_as_delivered(
        webhook, adapter, outgoing):
    _, receiver = webhook
    document = outgoing()
    first = adapter.deliver(document, target(webhook))
    again = adapter.deliver(document, target(webhook))

    assert again == first and len(receiver.references) == 1 and len(receiver.received) == 2


def test_a_webhook_refusing_the_document_with_422_is_rejected_by_the_package(
        webhook, adapter, outgoing):
    webhook[1].answer = (422, {"message": "duplicate invoice number 2026-117"}, {})
    with pytest.raises(RejectedByPackage, match="duplicate invoice number"):
        adapter.deliver(outgoing(), target(webhook))


@pytest.mark.parametrize(("status", "headers", "retry_after"), [
    (500, {}, None), (503, {}, None), (429, {"Retry-After": "12"}, 12.0),
])
def test_a_webhook_5xx_or_429_is_transient(webhook, adapter, outgoing, status, headers,
                                           retry_after):
    webhook[1].answer = (status, {"error": "later"}, headers)
    with pytest.raises(TransientDeliveryError) as failure:
        adapter.deliver(outgoing(), target(webhook))
    assert failure.value.retry_after == retry_after


def test_a_webhook_refusing_our_signature_is_a_permanent_failure(webhook, adapter, outgoing):
    with pytest.raises(PermanentDeliveryError, match="401"):
        adapter.deliver(outgoing(), target(webhook, credentials="other"))
    assert webhook[1].received == []


def test_a_document_already_at_the_remote_is_found_by_its_delivery_key(
        webhook, adapter, outgoing):
    _, receiver = webhook
    document = outgoing()
    assert adapter.find_delivered(document, target(webhook)) is None

    delivered = adapter.deliver(document, target(webhook))
    assert adapter.find_delivered(document, target(webhook)) == delivered.remote_reference
    receiver.lookups_supported = False
    assert adapter.find_delivered(document, target(webhook)) is None


def test_documents_never_travel_over_plain_http_off_this_machine(adapter, outgoing):
    insecure = Target("wolters-kluwer-api", "api", {}, {"url": "http://connector.test/in"},
                      "hook")
    with pytest.raises(PermanentDeliveryError, match="https"):
        adapter.deliver(outgoing(), insecure)


def test_delivery_logs_never_contain_secrets_or_document_contents(webhook, adapter, outgoing):
    with capture_logs() as logs:
        adapter.deliver(outgoing(), target(webhook))

    assert logs and logs[0]["event"] == "document delivered"
    text = repr(logs)
    assert SECRET not in text and base64.b64encode(PDF)[:40].decode() not in text
