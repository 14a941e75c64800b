"""The activation page: a link that cannot be used says why and what to do; the user set
up there is kept (argon2), never in the events."""

from __future__ import annotations

from lucy_events.client_users import ClientUsers
from lucy_events.web.api.invitations import link_for
from tests.integration.onboarding.conftest import Site


def _invite(site: Site) -> tuple[object, str]:
    client_id = site.office.new_client()
    with site.flask.app_context():
        token = site.services.invitation_mail().invite(
            site.office.firm_id, client_id, site.office.admin, link_for).token
    return client_id, token


def test_an_expired_link_says_to_ask_the_firm_for_a_new_one(outbox_site: Site):
    _, token = _invite(outbox_site)
    outbox_site.clock.advance(days=21, seconds=1)
    page = outbox_site.flask.test_client().get(f"/invitations/{token}")
    assert page.status_code == 410
    text = page.get_data(as_text=True)
    assert "This invitation expired" in text and "Ask Dupont &amp; Partners" in text


def test_a_forged_link_tells_nothing_about_the_client(outbox_site: Site):
    _, token = _invite(outbox_site)
    forged = token.split(".")[0] + ".not-the-secret"
    page = outbox_site.flask.test_client().get(f"/invitations/{forged}")
    assert page.status_code == 404 and "Bakkerij" not in page.get_data(as_text=True)


def test_activating_sets_up_the_contacts_user_with_a_hashed_password(outbox_site: Site):
    site = outbox_site
    client_id, token = _invite(site)
    browser = site.flask.test_client()
    with browser.session_transaction() as session:
        session["csrf_token"] = "t"
    mismatch = browser.post(f"/invitations/{token}", data={
        "csrf_token": "t", "first_name": "Anna", "last_name": "Claes",
        "password": "a long passphrase", "password_again": "another passphrase"})
    assert mismatch.status_code == 422 and "two passwords differ" in mismatch.get_data(
        as_text=True)
    done = browser.post(f"/invitations/{token}", data={
        "csrf_token": "t", "first_name": "Anna", "last_name": "Claes-Peeters",
        "password": "a long passphrase", "password_again": "a long passphrase"})
    assert done.status_code == 200 and "Welcome, Bakkerij Claes" in done.get_data(as_text=True)
    users = ClientUsers(site.services.read_db)
    [user] = users.of_client(client_id)  # type: ignore[arg-type]
    assert (user.email, user.name, user.role) == ("anna@bakkerij.example",
                                                  "Anna Claes-Peeters", "owner")
    assert users.verify(client_id, "anna@bakkerij.example", "a long passphrase")  # type: ignore[arg-type]
    assert users.verify(client_id, "anna@bakkerij.example", "wrong") is None  # type: ignore[arg-type]
    stored = b"".join(n.state for n in site.services.app.recorder.select_notifications(
        start=1, limit=1000))
    assert b"passphrase" not in stored and b"argon2" not in stored
    used = browser.get(f"/invitations/{token}")
    assert used.status_code == 410 and "already used" in used.get_data(as_text=True)
