"""The logs of a whole working day keep no secret: every structlog line of a scenario
(sign-in, a failed sign-in, a client invited and linked to its e-mail package, a
document uploaded and delivered through an SMTP relay that needs a password) is
captured, and none holds an access token, a password, the session secret, an
invitation token, a session cookie or a byte of the document's content."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from structlog.testing import capture_logs

from lucy_events.access_tokens import AccessTokens
from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.web import create_app
from tests.integration.delivery import smtp_server
from tests.integration.delivery.certificates import Certificate
from tests.support import ADDRESS, CONTACT, open_office

SESSION_SECRET = "session-signing-secret-never-logged-9f3b"
CONTENT_MARK = "CONFIDENTIAL-LINE-ITEM-4711-never-logged"
PDF = f"%PDF-1.4\n% {CONTENT_MARK}\n%%EOF\n".encode()
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_no_log_line_of_a_working_day_holds_a_secret_or_document_content(
        tmp_path: Path, mail_server: smtp_server.MailServer, certificate: Certificate,
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert_path))  # trust the test relay
    relay = (f"smtp://{smtp_server.USERNAME}:{smtp_server.PASSWORD}@127.0.0.1:"
             f"{mail_server.port}?from=docs@firm.example")
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/events.sqlite",
                        blob_dir=tmp_path / "blobs",
                        read_database_url=f"sqlite:///{tmp_path}/read.sqlite",
                        smtp_relay_url=relay, secret_key=SESSION_SECRET)
    secrets: list[str] = [smtp_server.PASSWORD, SESSION_SECRET, CONTENT_MARK]
    with capture_logs() as logs:
        services = bootstrap(settings)
        consumers = services.consumer_runner(
            [*services.projection_handlers(), *services.delivery_handlers()])
        consumers.start()
        try:
            secrets += _working_day(services, mail_server)
        finally:
            consumers.stop()
            services.close()
    assert len(logs) > 10, logs  # the scenario did log
    told = {str(entry.get("event")) for entry in logs}
    assert {"signed in", "sign-in refused", "document mailed"} <= told, told
    for entry in logs:
        line = repr(entry)
        found = [secret for secret in secrets if secret in line]
        assert not found, f"{found} in the log line {line}"


def _working_day(services: Any, mail_server: smtp_server.MailServer) -> list[str]:
    """The scenario; returns the secrets it handed out (tokens, links, cookies)."""
    office = open_office(services.app)
    member = services.app.firm(office.firm_id).member(UUID(office.admin.id))
    token = AccessTokens(services.read_db).issue(office.firm_id, member.id)
    browser = create_app(services).test_client()
    form = _CSRF.search(browser.get("/signin").get_data(as_text=True))
    assert form
    wrong = browser.post("/signin", data={"email": member.email, "csrf_token": form[1],
                                          "token": "lucy_a-guess-that-is-never-logged"})
    assert wrong.status_code == 401
    signed_in = browser.post("/signin", data={"email": member.email, "token": token,
                                              "csrf_token": form[1]})
    assert signed_in.status_code == 303
    cookie = browser.get_cookie("session")
    assert cookie is not None
    api = {"Authorization": f"Bearer {token}"}
    made = browser.post("/api/v1/clients", headers=api, json={
        "name": "Bakkerij Claes", "country": "BE", "enterprise_number": "0403.170.701",
        "address": ADDRESS, "contact_person": CONTACT})
    assert made.status_code in (201, 202), made.get_data()
    client_id = made.get_json()["id"]
    invited = browser.post(f"/api/v1/clients/{client_id}/invitation", headers=api)
    assert invited.status_code == 201, invited.get_data()
    link = invited.get_json()["link"]
    linked = browser.put(f"/api/v1/clients/{client_id}/integration", headers=api, json={
        "package": "clearfacts", "settings": {"purchase_address": "inbox@clearfacts.example"}})
    assert linked.status_code in (200, 202), linked.get_data()
    uploaded = browser.post(f"/api/v1/clients/{client_id}/documents", headers=api, data={
        "document_type": "purchase-invoice", "file": (io.BytesIO(PDF), "a.pdf")})
    assert uploaded.status_code == 201, uploaded.get_data()
    document_id = uploaded.get_json()["id"]  # one file: the document itself
    browser.post(f"/api/v1/documents/{document_id}/send", headers=api)  # or sent already
    # Until the document is Sent, not only until the relay has the mail: the router logs
    # "document mailed" after the relay's answer, and the consumers stop next.
    deadline, status = time.monotonic() + 60, None
    while status != "Sent" and time.monotonic() < deadline:
        time.sleep(0.1)
        status = browser.get(f"/api/v1/documents/{document_id}", headers=api).get_json()[
            "status"]
    assert status == "Sent", f"the document was not delivered: {status}"
    assert mail_server.received, "the relay has no mail"
    assert mail_server.received[0].login == smtp_server.USERNAME.encode()
    return [token, "lucy_a-guess-that-is-never-logged", cookie.value,
            link.rsplit("/", 1)[-1].split(".", 1)[1]]
