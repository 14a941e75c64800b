"""Exact Online delivery against a local HTTP server playing Exact's REST API."""

from __future__ import annotations

import pytest

from lucy_events.routers.integrations import (
    ExactOnline,
    InMemorySecretStore,
    PermanentDeliveryError,
    RateLimiter,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.exact_online import base_url_of
from lucy_events.routers.integrations.transport import HttpClient
from tests.integration.delivery.conftest import PDF
from tests.integration.delivery.fake_exact import CLIENT_ID, CLIENT_SECRET

DIVISION = "3361923"


@pytest.fixture
def secrets(exact) -> InMemorySecretStore:
    _, server = exact
    return InMemorySecretStore({"exact-firm": {
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "refresh_token": server.issue_refresh_token(),
    }})


@pytest.fixture
def adapter(secrets, wall_clock) -> ExactOnline:
    return ExactOnline(secrets, http=HttpClient(timeout=5.0), max_wait=10.0,
                       clock=wall_clock, sleep=wall_clock.sleep)


def target(exact, **client: str) -> Target:
    url, _ = exact
    return Target("exact-online-api", "api", client or {"administration": DIVISION},
                  {"base_url": url}, "exact-firm")


def test_a_purchase_invoice_becomes_an_exact_document_with_its_pdf_attached(
        exact, adapter, outgoing):
    _, server = exact
    document = outgoing()
    delivered = adapter.deliver(document, target(exact))

    [(remote_id, created)] = server.documents.items()
    assert delivered.remote_reference == remote_id
    assert created == {"Subject": f"lucy-{document.document_id.hex} invoice-2026-117.pdf",
                       "Type": 20, "DocumentDate": "2026-11-02", "division": DIVISION}
    [attachment] = server.attachments_of(remote_id)
    assert attachment["FileName"] == "invoice-2026-117.pdf" and attachment["content"] == PDF
    [token_request] = server.token_requests
    assert token_request["grant_type"] == "refresh_token"
    assert {token for _, _, token in server.calls} <= server.access_tokens


def test_sales_documents_get_exacts_sales_invoice_type_and_the_portal_may_remap_a_type(
        exact, adapter, outgoing):
    _, server = exact
    adapter.deliver(outgoing(document_type="sales-credit-note"), target(exact))
    remapped = Target("exact-online-api", "api", {"administration": DIVISION},
                      {"base_url": exact[0], "document_type.bank-statement": "42"},
                      "exact-firm")
    adapter.deliver(outgoing(document_type="bank-statement"), remapped)

    assert sorted(d["Type"] for d in server.documents.values()) == [10, 42]


def test_the_rotated_refresh_token_is_written_back_and_the_access_token_reused(
        exact, adapter, secrets, outgoing):
    _, server = exact
    first = secrets.get("exact-firm")["refresh_token"]
    adapter.deliver(outgoing(), target(exact))
    adapter.deliver(outgoing(), target(exact))

    stored = secrets.get("exact-firm")
    assert stored["refresh_token"] != first and server.refresh_tokens == {stored["refresh_token"]}
    assert stored["access_token"] in server.access_tokens
    assert len(server.token_requests) == 1  # the second delivery reused the access token


def test_an_access_token_refused_before_its_expiry_is_renewed_once(
        exact, adapter, secrets, outgoing):
    _, server = exact
    adapter.deliver(outgoing(), target(exact))
    server.access_tokens.clear()  # Exact forgot it (e.g. the user re-authorised the app)

    adapter.deliver(outgoing(), target(exact))
    assert len(server.token_requests) == 2 and len(server.documents) == 2


def test_a_revoked_exact_refresh_token_is_a_permanent_failure(exact, adapter, outgoing):
    _, server = exact
    server.revoke()

    with pytest.raises(PermanentDeliveryError, match="revoked"):
        adapter.deliver(outgoing(), target(exact))
    assert server.documents == {}


class _ReadBeforeAPeerRotated(InMemorySecretStore):
    """Answers the first read with what the store held before another process refreshed."""

    def __init__(self, store: InMemorySecretStore, stale: dict[str, str]) -> None:
        super().__init__({"exact-firm": store.get("exact-firm")})
        self.stale: dict[str, str] | None = stale

    def get(self, ref: str) -> dict[str, str]:
        stale, self.stale = self.stale, None
        return stale if stale is not None else super().get(ref)


def test_a_refresh_token_another_process_rotated_meanwhile_is_picked_up(
        exact, adapter, secrets, wall_clock, outgoing):
    _, server = exact
    before = secrets.get("exact-firm")
    adapter.deliver(outgoing(), target(exact))  # the other process rotates the token
    server.access_tokens.clear()
    this_process = ExactOnline(_ReadBeforeAPeerRotated(secrets, before),
                               http=HttpClient(timeout=5.0), clock=wall_clock,
                               sleep=wall_clock.sleep)

    this_process.deliver(outgoing(), target(exact))
    assert len(server.documents) == 2
    assert [r["refresh_token"] for r in server.token_requests][1:] == [
        before["refresh_token"], secrets.get("exact-firm")["refresh_token"]]


def test_exact_online_429_is_transient_with_the_reset_time(exact, adapter, outgoing):
    _, server = exact
    server.throttle_next, server.minutely_reset_in = 5, 30.0

    with pytest.raises(TransientDeliveryError) as failure:
        adapter.deliver(outgoing(), target(exact))
    assert failure.value.retry_after == pytest.approx(30.0, abs=0.01)
    assert server.documents == {}


def test_a_short_exact_online_429_is_waited_out_once(exact, adapter, wall_clock, outgoing):
    _, server = exact
    server.throttle_next, server.minutely_reset_in = 1, 2.5

    adapter.deliver(outgoing(), target(exact))
    assert wall_clock.slept == [pytest.approx(2.5, abs=0.01)]
    assert len(server.documents) == 1


def test_no_calls_left_this_minute_holds_the_next_call_until_the_reset(
        exact, adapter, wall_clock, outgoing):
    _, server = exact
    server.minutely_remaining, server.minutely_reset_in = 1, 4.0

    adapter.deliver(outgoing(), target(exact))
    assert wall_clock.slept and wall_clock.slept[0] == pytest.approx(4.0, abs=0.01)
    assert len(server.documents) == 1


def test_the_rate_limiter_keeps_a_division_under_its_calls_per_minute(wall_clock):
    limiter = RateLimiter(60, 60.0, max_wait=5.0, clock=wall_clock, sleep=wall_clock.sleep)
    for _ in range(60):
        limiter.acquire("division-1")
    assert wall_clock.slept == []

    limiter.acquire("division-1")
    limiter.acquire("division-2")  # another division has its own budget
    assert wall_clock.slept == [pytest.approx(1.0)]
    limiter.closed_until("division-1", wall_clock() + 30)
    with pytest.raises(TransientDeliveryError) as failure:
        limiter.acquire("division-1")
    assert failure.value.retry_after == pytest.approx(30.0)


def test_a_document_already_at_the_remote_is_found_by_its_delivery_key(
        exact, adapter, outgoing):
    _, server = exact
    document = outgoing(file_name="l'offre d'été.pdf")  # a quote to escape in $filter
    assert adapter.find_delivered(document, target(exact)) is None

    delivered = adapter.deliver(document, target(exact))
    assert adapter.find_delivered(document, target(exact)) == delivered.remote_reference
    assert adapter.find_delivered(outgoing(), target(exact)) is None
    assert adapter.deliver(document, target(exact)) == delivered
    assert len(server.documents) == 1 and len(server.attachments) == 1


def test_a_document_left_without_its_file_is_completed_not_duplicated(
        exact, adapter, outgoing):
    _, server = exact
    document = outgoing()
    server.fail_attachments = 1
    with pytest.raises(TransientDeliveryError, match="503"):
        adapter.deliver(document, target(exact))
    assert len(server.documents) == 1 and server.attachments == {}
    assert adapter.find_delivered(document, target(exact)) is None

    delivered = adapter.deliver(document, target(exact))
    assert list(server.documents) == [delivered.remote_reference]
    assert [a["content"] for a in server.attachments.values()] == [PDF]


def test_a_document_exact_refuses_is_rejected_by_the_package(exact, adapter, outgoing):
    _, server = exact
    server.reject_documents = "Document type not allowed for this division"

    with pytest.raises(RejectedByPackage, match="Document type not allowed"):
        adapter.deliver(outgoing(), target(exact))


def test_a_client_without_a_division_is_a_permanent_failure(exact, adapter, outgoing):
    _, server = exact
    with pytest.raises(PermanentDeliveryError, match="division"):
        adapter.deliver(outgoing(), target(exact, administration="not-a-number"))
    assert server.calls == []


def test_exact_online_nl_delivers_through_the_same_adapter_at_its_own_address(
        exact, adapter, outgoing):
    url, server = exact
    assert base_url_of("exact-online-nl-api", {}) == "https://start.exactonline.nl"
    assert base_url_of("exact-online-api", {}) == "https://start.exactonline.be"
    nl = Target("exact-online-nl-api", "api", {"administration": DIVISION},
                {"base_url": url}, "exact-firm")
    delivered = adapter.deliver(outgoing(), nl)
    assert server.documents[delivered.remote_reference]["division"] == DIVISION
