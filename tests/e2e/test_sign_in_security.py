"""Signing in as an attacker would try it, through the WSGI client: one answer for every
failure, throttling per address and per account that every process sees, sessions that
end when they should, tokens that expire or are revoked, and the Secure cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lucy_events.access_tokens import AccessTokens
from lucy_events.auth_throttle import Limit
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.staff_sessions import StaffSessions
from lucy_events.web import create_app
from lucy_events.web.dashboard.signin_hint import demo_signin_lines
from tests.e2e.conftest import Cli
from tests.support import Office, open_office

LIMITS = {"address": Limit(6, timedelta(minutes=5), timedelta(seconds=60)),
          "account": Limit(3, timedelta(minutes=5), timedelta(seconds=60))}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _settings(data_dir: Path, **extra: Any) -> Settings:
    return Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/events.sqlite",
                    blob_dir=data_dir / "blobs",
                    read_database_url=f"sqlite:///{data_dir}/read.sqlite", **extra)


@dataclass
class Site:
    services: Services
    flask: Flask
    office: Office
    admin_email: str
    admin_token: str

    def browser(self, address: str = "192.0.2.10") -> FlaskClient:
        return client_of(self.flask, REMOTE_ADDR=address)

    def second_process(self) -> Flask:
        """Another app on the same databases, as a second API process would be."""
        return create_app(bootstrap(self.services.settings), {"LUCY_AUTH_LIMITS": LIMITS})


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    services = bootstrap(_settings(tmp_path))
    consumers = services.consumer_runner(services.projection_handlers())
    consumers.start()
    office = open_office(services.app)
    admin = services.app.firm(office.firm_id).member(UUID(office.admin.id))
    token = AccessTokens(services.read_db).issue(office.firm_id, admin.id)
    yield Site(services, create_app(services, {"LUCY_AUTH_LIMITS": LIMITS}), office,
               admin.email, token)
    consumers.stop()
    services.close()


def client_of(flask: Flask, **environ: str) -> FlaskClient:
    browser = flask.test_client()
    browser.environ_base.update(environ)
    return browser


def sign_in(browser: FlaskClient, email: str, token: str, base_url: str | None = None
            ) -> Any:
    form = browser.get("/signin", base_url=base_url).get_data(as_text=True)
    found = _CSRF.search(form)
    assert found, form
    return browser.post("/signin", base_url=base_url, data={
        "email": email, "token": token, "csrf_token": found[1]})


def test_every_failed_sign_in_gets_the_same_401_page(site: Site):
    accountant = site.services.app.firm(site.office.firm_id).member(
        UUID(site.office.accountant.id))
    accountant_token = AccessTokens(site.services.read_db).issue(site.office.firm_id,
                                                                 accountant.id)
    browser = site.browser()
    wrong_email = sign_in(browser, site.admin_email, accountant_token)  # a valid token
    wrong_token = sign_in(browser, site.admin_email, "lucy_" + "x" * 43)
    not_ours = sign_in(browser, site.admin_email, "nothing-like-a-token")
    assert {wrong_email.status_code, wrong_token.status_code, not_ours.status_code} == {401}
    assert wrong_email.get_data() == wrong_token.get_data() == not_ours.get_data()


def test_sign_in_failures_for_one_account_are_answered_429_in_every_process(site: Site):
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        assert sign_in(site.browser(address), site.admin_email,
                       "lucy_guess").status_code == 401
    blocked = sign_in(site.browser("192.0.2.5"), site.admin_email, site.admin_token)
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 60
    elsewhere = client_of(site.second_process(), REMOTE_ADDR="192.0.2.9")
    assert sign_in(elsewhere, site.admin_email, site.admin_token).status_code == 429


def test_bad_tokens_from_one_address_are_answered_429_and_other_addresses_still_work(
        site: Site):
    guesser = site.browser("198.51.100.7")
    for number in range(7):
        reply = guesser.get("/api/v1/clients",
                            headers={"Authorization": f"Bearer lucy_guess{number}"})
        assert reply.status_code == 401
    blocked = guesser.get("/api/v1/clients",
                          headers={"Authorization": f"Bearer {site.admin_token}"})
    assert blocked.status_code == 429, blocked.get_data()
    assert blocked.json is not None and blocked.json["error"]["code"] == "too_many_requests"
    assert int(blocked.headers["Retry-After"]) <= 60
    owner = site.browser("198.51.100.8").get(
        "/api/v1/clients", headers={"Authorization": f"Bearer {site.admin_token}"})
    assert owner.status_code == 200


def test_a_block_lasts_a_minute_and_a_sign_in_clears_the_accounts_failures(tmp_path: Path):
    from lucy_events.auth_throttle import AuthThrottle, account_key
    from lucy_events.sqldb import Database
    from tests.conftest import FakeClock

    clock = FakeClock()
    throttle = AuthThrottle(Database.from_url(f"sqlite:///{tmp_path}/read.sqlite"), LIMITS,
                            clock=clock)
    key = account_key("Sofie@Example.be")
    for _ in range(4):
        throttle.failed([key])
    assert throttle.retry_after([key]) == 60
    clock.advance(seconds=61)
    assert throttle.retry_after([key]) is None
    throttle.failed([key])
    throttle.succeeded(key)
    for _ in range(3):
        throttle.failed([key])
    assert throttle.retry_after([account_key("sofie@example.be")]) is None
    clock.advance(days=2)  # a guess at another account forgets the old counts
    throttle.failed([account_key("someone@else.example")])
    with throttle.db.transaction() as tx:
        assert tx.execute("SELECT throttle_key FROM auth_failures") == [
            ("account:someone@else.example",)]


def test_a_signed_out_session_cookie_no_longer_works(site: Site):
    browser = site.browser()
    assert sign_in(browser, site.admin_email, site.admin_token).status_code == 303
    cookie = browser.get_cookie("session")
    assert cookie is not None
    assert browser.get("/api/v1/clients").status_code == 200
    form = browser.get("/").get_data(as_text=True)
    browser.post("/signout", data={"csrf_token": _CSRF.search(form)[1]})  # type: ignore[index]
    replay = site.browser()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/api/v1/clients").status_code == 401


def test_leaving_the_firm_or_a_changed_role_ends_the_session(site: Site):
    browser = site.browser()
    accountant = site.office.accountant
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id, UUID(accountant.id))
    email = site.services.app.firm(site.office.firm_id).member(UUID(accountant.id)).email
    assert sign_in(browser, email, token).status_code == 303
    site.services.app.remove_staff_member(site.office.firm_id, UUID(accountant.id),
                                          site.office.admin)
    assert browser.get("/api/v1/clients").status_code == 401
    # An admin made accountant (by another admin): their session ends at once.
    app, firm_id = site.services.app, site.office.firm_id
    colleague = app.add_staff_member(firm_id, "Tom Admin", "tom@office.example", "admin",
                                     site.office.admin)
    admin = site.browser("192.0.2.77")
    assert sign_in(admin, site.admin_email, site.admin_token).status_code == 303
    assert admin.get("/api/v1/clients?tab=all").status_code == 200
    app.change_staff_role(firm_id, UUID(site.office.admin.id), "accountant",
                          app.actor_for(firm_id, colleague))
    assert admin.get("/api/v1/clients").status_code == 401
    with site.services.read_db.transaction() as tx:
        ended = tx.execute("SELECT ended_why FROM staff_sessions WHERE staff_id = :staff",
                           {"staff": site.office.admin.id})
    assert ("role changed",) in ended


def test_revoking_tokens_ends_sessions_and_an_expired_token_is_refused(site: Site):
    tokens = AccessTokens(site.services.read_db)
    expired = tokens.issue(site.office.firm_id, UUID(site.office.admin.id),
                           expires_in=timedelta(seconds=-1))
    assert tokens.owner(expired) is None
    api = site.browser()
    assert api.get("/api/v1/clients",
                   headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    browser = site.browser("192.0.2.99")
    assert sign_in(browser, site.admin_email, site.admin_token).status_code == 303
    assert tokens.revoke_all(UUID(site.office.admin.id)) >= 1
    StaffSessions(site.services.read_db).end_all(UUID(site.office.admin.id), "revoked")
    assert browser.get("/api/v1/clients").status_code == 401


def test_the_session_cookie_is_secure_when_the_request_came_over_https(tmp_path: Path):
    def cookie_after_sign_in(settings: Settings, base_url: str | None = None,
                             **environ: str) -> str:
        services = bootstrap(settings)
        try:
            office = open_office(services.app)
            member = services.app.firm(office.firm_id).member(UUID(office.admin.id))
            token = AccessTokens(services.read_db).issue(office.firm_id, member.id)
            browser = client_of(create_app(services), **environ)
            reply = sign_in(browser, member.email, token, base_url)
            assert reply.status_code == 303
            return str(reply.headers["Set-Cookie"])
        finally:
            services.close()

    plain = _settings(tmp_path / "plain")
    assert "Secure" not in cookie_after_sign_in(plain)
    assert "Secure" in cookie_after_sign_in(plain, "https://localhost")
    # A client cannot claim HTTPS itself; a trusted proxy can.
    claimed = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert "Secure" not in cookie_after_sign_in(plain, **claimed)
    proxied = _settings(tmp_path / "proxied", trusted_proxies=1)
    assert "Secure" in cookie_after_sign_in(proxied, **claimed, HTTP_X_FORWARDED_FOR="x")
    forced = _settings(tmp_path / "forced", secure_cookies=True)
    assert "Secure" in cookie_after_sign_in(forced)


def test_demo_tokens_are_minted_when_the_demo_is_seeded_and_never_again(tmp_path: Path):
    from lucy_events.demo import seed_demo

    services = bootstrap(_settings(tmp_path))
    try:
        demo = seed_demo(services.app)
        first = demo_signin_lines(services, demo)
        assert sum("with token lucy_" in line for line in first) == 2
        with services.read_db.transaction() as tx:
            minted = tx.execute("SELECT COUNT(*), MIN(expires_at) FROM staff_tokens")[0]
        assert minted[0] == 2 and minted[1] is not None  # they expire
        for _ in range(3):  # later starts of serve --demo
            assert not any("lucy_" in line for line in demo_signin_lines(services))
        with services.read_db.transaction() as tx:
            assert tx.execute("SELECT COUNT(*) FROM staff_tokens")[0][0] == 2
    finally:
        services.close()


def test_staff_tokens_revoke_on_the_command_line_ends_tokens_and_sessions(sqlite_cli: Cli):
    sqlite_cli.run("firm", "create", "Peeters Boekhouding")
    added = sqlite_cli.run("staff", "add", "--firm", "Peeters", "--name", "Jan Peeters",
                           "--email", "jan@peeters.example", "--role", "admin",
                           "--expires-in-days", "7").stdout
    token = added.split("access token (shown once): ")[1].strip()
    services = bootstrap(Settings.from_env(sqlite_cli.env))
    try:
        tokens = AccessTokens(services.read_db)
        owner = tokens.owner(token)
        assert owner is not None
        StaffSessions(services.read_db).start(owner.firm_id, owner.staff_id, "admin")
        changed = sqlite_cli.run("staff", "role", "--firm", "Peeters", "--email",
                                 "jan@peeters.example", "--role", "accountant", check=False)
        assert "at least one admin" in changed.stderr  # the only admin stays one
        revoked = sqlite_cli.run("staff", "tokens", "revoke", "--firm", "Peeters",
                                 "--email", "jan@peeters.example").stdout
        assert "revoked 1 token(s)" in revoked and "ended 1 session(s)" in revoked
        assert tokens.owner(token) is None
    finally:
        services.close()
