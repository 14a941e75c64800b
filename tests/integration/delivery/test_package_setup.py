"""Admins set up the firm's API and FTP packages over the API and test the connection
against the real protocol servers of the delivery tests: pyftpdlib, the Yuki SOAP and
Exact Online OAuth2 test servers (connected by consent), and the signed webhook receiver
of Wolters Kluwer, Syneton DMS and other packages. Credentials are saved, never shown
again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from structlog.testing import capture_logs

from lucy_events.access_tokens import AccessTokens
from tests.integration.delivery.exact_consent import connect, set_up
from tests.integration.delivery.fake_exact import FakeExact
from tests.integration.delivery.fake_webhook import SECRET as WEBHOOK_SECRET
from tests.integration.delivery.fake_webhook import FakeWebhook
from tests.integration.delivery.fake_yuki import ACCESS_KEY, FakeYuki
from tests.integration.delivery.ftp_server import PASSWORD, USERNAME, FtpState
from tests.integration.onboarding.conftest import Site, outbox_site  # noqa: F401


def _admin(site: Site) -> Any:
    browser = site.flask.test_client()
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id,
                                                      UUID(site.office.admin.id))

    def call(method: str, path: str, body: Any = None) -> Any:
        return browser.open(f"/api/v1{path}", method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
    return call


def test_an_ftp_package_is_set_up_and_its_connection_tested(outbox_site: Site,  # noqa: F811
                                                            ftp: FtpState):
    api = _admin(outbox_site)
    (ftp.home / "lucy").mkdir()
    with capture_logs() as logs:
        saved = api("PUT", "/packages/expert-m", {"settings": {
            "host": ftp.host, "port": str(ftp.port), "username": USERNAME,
            "password": PASSWORD, "tls": "false", "root": "/lucy"}})
    assert saved.status_code == 200, saved.json
    assert saved.json["saved_secrets"] == ["password"] and "password" not in saved.json[
        "settings"]
    assert PASSWORD not in saved.get_data(as_text=True)
    assert PASSWORD not in repr(logs)
    checked = api("POST", "/packages/expert-m/check")
    assert checked.status_code == 200 and checked.json["ok"] is True, checked.json
    assert "/lucy" in checked.json["message"]
    listed = {p["package"]: p for p in api("GET", "/packages").json["packages"]}
    assert listed["expert-m"]["last_check"]["ok"] is True
    assert listed["expert-m"]["configured"] and not listed["sage-bob"]["configured"]

    kept = api("PUT", "/packages/expert-m", {"settings": {
        "host": ftp.host, "port": str(ftp.port), "username": "nobody", "tls": "false",
        "root": "/lucy"}})  # no password given: the saved one stays
    assert kept.status_code == 200 and kept.json["saved_secrets"] == ["password"]
    refused = api("POST", "/packages/expert-m/check").json
    assert refused["ok"] is False and "530" in refused["message"]
    status = {p["package"]: p["last_check"] for p in api("GET", "/packages").json["packages"]}
    assert status["expert-m"]["ok"] is False and status["yuki-api"] is None


def test_bad_settings_are_refused_naming_the_field(outbox_site: Site):  # noqa: F811
    api = _admin(outbox_site)
    port = api("PUT", "/packages/ftp", {"settings": {"host": "h", "username": "u",
                                                     "password": "p", "port": "twenty"}})
    assert port.status_code == 422 and "settings.port" in port.json["error"]["fields"]
    missing = api("PUT", "/packages/yuki-api", {"settings": {"administration": "a"}})
    assert missing.status_code == 422 and "settings.access_key" in missing.json["error"][
        "fields"]
    email = api("PUT", "/packages/clearfacts", {"settings": {}})
    assert email.status_code == 422 and "package" in email.json["error"]["fields"]
    untested = api("POST", "/packages/sage-bob/check").json
    assert untested["ok"] is False and "save the settings first" in untested["message"]


def test_yuki_and_exact_online_are_tested_against_their_servers(
        outbox_site: Site, yuki: tuple[str, FakeYuki],  # noqa: F811
        exact: tuple[str, FakeExact]):
    api = _admin(outbox_site)
    yuki_url, _ = yuki
    api("PUT", "/packages/yuki-api", {"settings": {
        "access_key": "wrong", "base_url": f"{yuki_url}/ws/Archive.asmx"}})
    wrong = api("POST", "/packages/yuki-api/check").json
    assert wrong["ok"] is False and "authentication failed" in wrong["message"]
    api("PUT", "/packages/yuki-api", {"settings": {
        "access_key": ACCESS_KEY, "base_url": f"{yuki_url}/ws/Archive.asmx"}})
    assert api("POST", "/packages/yuki-api/check").json["ok"] is True

    exact_url, state = exact
    set_up(api, "exact-online-api", exact_url)
    assert connect(api, "exact-online-api").status_code == 200
    ok = api("POST", "/packages/exact-online-api/check").json
    assert ok["ok"] is True and "connected as" in ok["message"], ok
    ref = f"portal-{outbox_site.office.firm_id}-exact-online-api"
    state.revoke()
    outbox_site.services.secret_store().put(ref, {
        **outbox_site.services.secret_store().get(ref), "access_token": ""})
    revoked = api("POST", "/packages/exact-online-api/check").json
    assert revoked["ok"] is False and "reconnect" in revoked["message"]


def test_a_webhook_package_is_set_up_and_its_signature_tested_delivering_nothing(
        outbox_site: Site, webhook: tuple[str, FakeWebhook]):  # noqa: F811
    api, (url, receiver) = _admin(outbox_site), webhook
    listed = {p["package"] for p in api("GET", "/packages").json["packages"]}
    assert {"wolters-kluwer-api", "syneton-dms-api", "webhook"} <= listed
    saved = api("PUT", "/packages/wolters-kluwer-api", {"settings": {
        "url": f"{url}/hooks/documents", "secret": "not-the-secret"}})
    assert saved.status_code == 200 and saved.json["saved_secrets"] == ["secret"]
    refused = api("POST", "/packages/wolters-kluwer-api/check").json
    assert refused["ok"] is False and "401" in refused["message"]
    api("PUT", "/packages/wolters-kluwer-api", {"settings": {
        "url": f"{url}/hooks/documents", "secret": WEBHOOK_SECRET}})
    works = api("POST", "/packages/wolters-kluwer-api/check").json
    assert works["ok"] is True and "signed request" in works["message"], works
    assert receiver.received == []  # a lookup, no document
    missing = api("PUT", "/packages/syneton-dms-api", {"settings": {"url": f"{url}/x"}})
    assert missing.status_code == 422 and "settings.secret" in missing.json["error"]["fields"]
