"""An admin connects the firm's Exact Online account by OAuth2 consent over the HTTP API,
against a local server playing Exact: its consent page (Allow / Deny, then a redirect
with a code or an error), its token endpoint (authorization_code and refresh_token
grants, rotating refresh tokens) and ``current/Me`` for Test connection. Whatever goes
wrong changes nothing; Exact Online NL is a package of its own with its own address."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID

from structlog.testing import capture_logs

from lucy_events.access_tokens import AccessTokens
from tests.integration.delivery.exact_consent import connect, consent_at_exact, set_up
from tests.integration.delivery.fake_exact import CLIENT_ID, CLIENT_SECRET, FakeExact
from tests.integration.onboarding.conftest import Site, outbox_site  # noqa: F401
from tests.support import open_office

BE, NL = "exact-online-api", "exact-online-nl-api"


def _caller(site: Site, firm_id: UUID | None = None, staff_id: UUID | None = None) -> Any:
    """An API client with a bearer token of its own (the admin's, unless named)."""
    browser = site.flask.test_client()
    token = AccessTokens(site.services.read_db).issue(
        firm_id or site.office.firm_id, staff_id or UUID(site.office.admin.id))

    def call(method: str, path: str, body: Any = None) -> Any:
        return browser.open(f"/api/v1{path}", method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
    return call


def test_an_admin_connects_exact_online_by_consent_and_the_refresh_token_rotates(
        outbox_site: Site, exact: tuple[str, FakeExact]):  # noqa: F811
    api, (exact_url, server) = _caller(outbox_site), exact
    services, firm_id = outbox_site.services, outbox_site.office.firm_id
    set_up(api, BE, exact_url)
    before = {p["package"]: p for p in api("GET", "/packages").json["packages"]}[BE]
    assert before["by_consent"] and not before["connected"]
    assert "refresh_token" not in {f["name"] for f in before["fields"]}  # never pasted
    untested = api("POST", f"/packages/{BE}/check").json
    assert untested["ok"] is False and "Connect Exact Online BE" in untested["message"]

    started = api("POST", f"/packages/{BE}/consent").json
    authorize = urlsplit(started["authorize_url"])
    query = dict(parse_qsl(authorize.query))
    redirect_uri = services.public_url() + "/packages/connected"
    assert started["authorize_url"].startswith(f"{exact_url}/api/oauth2/auth?")
    assert started["redirect_uri"] == query["redirect_uri"] == redirect_uri
    assert (query["client_id"], query["response_type"]) == (CLIENT_ID, "code")
    with capture_logs() as logs:
        back = consent_at_exact(started["authorize_url"])
        connected = api("POST", f"/packages/{BE}/consent/callback", back)
    assert connected.status_code == 200, connected.json
    assert connected.json["connected"] is True
    assert connected.json["last_check"]["ok"] is True, connected.json["last_check"]
    assert "Sofie Janssens" in connected.json["last_check"]["message"]
    [exchange] = [r for r in server.token_requests if r["grant_type"] == "authorization_code"]
    assert (exchange["code"], exchange["redirect_uri"]) == (back["code"], redirect_uri)
    ref = f"portal-{firm_id}-{BE}"
    first = services.secret_store().get(ref)["refresh_token"]
    assert first in server.refresh_tokens
    said = repr(logs) + connected.get_data(as_text=True)
    assert CLIENT_SECRET not in said and first not in said and back["code"] not in said
    firm = services.app.firm(firm_id)
    assert firm.portal_connections == {BE: str(outbox_site.office.admin)}

    # Test connection after the access token lapsed: a refresh, and the rotation is kept.
    services.secret_store().put(ref, {**services.secret_store().get(ref), "access_token": ""})
    again = api("POST", f"/packages/{BE}/check").json
    assert again["ok"] is True, again
    rotated = services.secret_store().get(ref)["refresh_token"]
    assert rotated != first and rotated in server.refresh_tokens
    assert first not in server.refresh_tokens  # Exact voided the old one

    replayed = api("POST", f"/packages/{BE}/consent/callback", back)  # the state is spent
    assert replayed.status_code == 422 and "state" in replayed.json["error"]["fields"]
    assert services.secret_store().get(ref)["refresh_token"] == rotated


def test_denied_consent_bad_states_and_token_endpoint_failures_change_nothing(
        outbox_site: Site, exact: tuple[str, FakeExact]):  # noqa: F811
    api, (exact_url, server) = _caller(outbox_site), exact
    services, firm_id = outbox_site.services, outbox_site.office.firm_id
    set_up(api, BE, exact_url)
    assert connect(api, BE).status_code == 200
    ref = f"portal-{firm_id}-{BE}"
    kept = services.secret_store().get(ref)
    version = services.app.firm(firm_id).version

    def refused(reply: Any, status: int, field_or_code: str, words: str) -> None:
        assert reply.status_code == status, reply.json
        error = reply.json["error"]
        assert field_or_code in (error["fields"] or {error["code"]: ""}), error
        assert words in error["message"], error
        assert services.secret_store().get(ref) == kept  # nothing was changed

    refused(connect(api, BE, decision="deny"), 422, "error", "did not give access: "
            "access_denied (The user denied access to the app)")
    refused(api("POST", f"/packages/{BE}/consent/callback", {"state": "made-up", "code": "x"}),
            422, "state", "unknown or was used already")

    # Bound to the token (the session) and the firm that started it.
    started = api("POST", f"/packages/{BE}/consent").json
    back = consent_at_exact(started["authorize_url"])
    same_admin_other_token = _caller(outbox_site)
    refused(same_admin_other_token("POST", f"/packages/{BE}/consent/callback", back), 422,
            "state", "another session")
    other = open_office(services.app, "Elsewhere Accountants")
    elsewhere = _caller(outbox_site, other.firm_id, UUID(other.admin.id))
    started = api("POST", f"/packages/{BE}/consent").json
    refused(elsewhere("POST", f"/packages/{BE}/consent/callback",
                      consent_at_exact(started["authorize_url"])), 422, "state", "someone else")

    started = api("POST", f"/packages/{BE}/consent").json
    back = consent_at_exact(started["authorize_url"])
    outbox_site.clock.advance(minutes=11)
    refused(api("POST", f"/packages/{BE}/consent/callback", back), 422, "state", "expired")

    started = api("POST", f"/packages/{BE}/consent").json
    refused(api("POST", f"/packages/{NL}/consent/callback",
                consent_at_exact(started["authorize_url"])), 422, "state", "not " + NL)

    started = api("POST", f"/packages/{BE}/consent").json
    back = consent_at_exact(started["authorize_url"])
    refused(api("POST", f"/packages/{BE}/consent/callback", {**back, "code": back["code"] + "x"}),
            409, "consent_failed", "refused the authorization code: invalid_grant")
    started = api("POST", f"/packages/{BE}/consent").json
    back = consent_at_exact(started["authorize_url"])
    server.token_down = 1
    refused(api("POST", f"/packages/{BE}/consent/callback", back), 409, "consent_failed",
            "HTTP 503")
    assert services.app.firm(firm_id).version == version  # no event was recorded


def test_consent_needs_an_oauth_package_set_up_with_the_apps_client_id_and_secret(
        outbox_site: Site):  # noqa: F811
    api = _caller(outbox_site)
    ftp = api("POST", "/packages/ftp/consent")
    assert ftp.status_code == 422 and "package" in ftp.json["error"]["fields"]
    unset = api("POST", f"/packages/{BE}/consent")
    assert unset.status_code == 422 and "settings.client_id" in unset.json["error"]["fields"]
    accountant = _caller(outbox_site, staff_id=UUID(outbox_site.office.accountant.id))
    assert accountant("POST", f"/packages/{BE}/consent").status_code == 403


def test_exact_online_nl_is_a_package_of_its_own_with_its_own_address(
        outbox_site: Site, exact: tuple[str, FakeExact]):  # noqa: F811
    api, (exact_url, _) = _caller(outbox_site), exact
    listed = {p["package"]: p for p in api("GET", "/packages").json["packages"]}
    assert (listed[BE]["name"], listed[NL]["name"]) == ("Exact Online BE", "Exact Online NL")
    labels = {code: {f["name"]: f["label"] for f in listed[code]["fields"]}["base_url"]
              for code in (BE, NL)}
    assert "https://start.exactonline.be" in labels[BE]
    assert "https://start.exactonline.nl" in labels[NL]
    for code, address in ((BE, "https://start.exactonline.be"),
                          (NL, "https://start.exactonline.nl")):
        api("PUT", f"/packages/{code}", {"settings": {"client_id": CLIENT_ID,
                                                      "client_secret": CLIENT_SECRET}})
        started = api("POST", f"/packages/{code}/consent").json
        assert started["authorize_url"].startswith(f"{address}/api/oauth2/auth?")

    set_up(api, NL, exact_url)
    assert connect(api, NL).json["connected"] is True
    listed = {p["package"]: p for p in api("GET", "/packages").json["packages"]}
    assert listed[NL]["connected"] and not listed[BE]["connected"]

    app, office = outbox_site.services.app, outbox_site.office
    client_id = office.new_client(name="Kaashandel De Boer BV", country="NL",
                                  enterprise_number="12345678", vat_number="NL004495445B01")
    outbox_site.settle()
    path = f"/clients/{client_id}/integration"
    wrong = api("PUT", path, {"package": NL, "settings": {"administration": "Boer"}})
    assert wrong.status_code == 422 and "settings.administration" in wrong.json["error"][
        "fields"]
    assert api("PUT", path, {"package": NL, "settings": {"administration": "3361923"}}
               ).status_code in (200, 202)
    assert app.client(office.firm_id, client_id).integration["package"] == NL
