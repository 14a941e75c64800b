"""Signing in to the client portal as its users do: a password, or a single-use link from
an e-mail at a real SMTP server; invitations from an owner; sessions that end on sign-out
and at once when an owner removes the user; throttled like the staff's sign-in; and a
client user's cookie that is no staff member's session."""

from __future__ import annotations

import re
from datetime import timedelta

from lucy_events.auth_throttle import Limit
from lucy_events.client_sessions import ClientSessions
from lucy_events.client_users import ClientUsers
from tests.integration.portal.conftest import Site
from tests.mail_support import Inbox, bodies
from tests.portal_support import CSRF, PASSWORD, active_client, portal_sign_in, use_csrf


def _link(inbox: Inbox, address: str, path: str) -> str:
    [message] = inbox.to(address)
    found = re.search(rf"https?://\S+(/portal/{path}/[\w-]+)", bodies(message)[0])
    assert found, "the e-mail carries the link"
    return found.group(1)


def test_a_client_user_signs_in_with_their_password_and_lands_in_their_inbox(
        outbox_site: Site):
    site = outbox_site
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    assert browser.get("/portal/").status_code == 302  # not signed in: to the sign-in page
    answer = portal_sign_in(browser, owner.email)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/portal/")
    page = browser.get("/portal/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    inbox = page.get_data(as_text=True)
    assert "Inbox · Bakkerij Claes" in inbox and "Anna Claes" in inbox and "Sign out" in inbox


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(outbox_site: Site):
    site = outbox_site
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    wrong = portal_sign_in(site.flask.test_client(), owner.email, "not the password")
    unknown = portal_sign_in(site.flask.test_client(), "nobody@nowhere.example", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    said = "not valid together"
    assert said in wrong.get_data(as_text=True) and said in unknown.get_data(as_text=True)


def test_failed_sign_ins_are_throttled_per_account(outbox_site: Site):
    site = outbox_site
    site.flask.config["LUCY_AUTH_LIMITS"] = {
        "account": Limit(2, timedelta(minutes=15), timedelta(minutes=1))}
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    statuses = [portal_sign_in(browser, owner.email, "guess number one").status_code
                for _ in range(3)]
    blocked = portal_sign_in(browser, owner.email)  # even the right password waits
    assert statuses == [401, 401, 401] and blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def test_a_sign_in_link_from_the_e_mail_signs_in_once(site: Site, smtp_inbox: Inbox):
    _, owner = active_client(site.services.app, site.services.read_db, site.office,
                             email="link@klant.example")
    browser = site.flask.test_client()
    with browser.session_transaction() as session:
        session["csrf_token"] = CSRF
    asked = browser.post("/portal/signin/link", data={"csrf_token": CSRF,
                                                      "email": owner.email})
    assert asked.status_code == 200 and "is on its way" in asked.get_data(as_text=True)
    path = _link(smtp_inbox, owner.email, "signin/link")
    button = browser.get(path)  # a page with a button: nothing used yet
    assert button.status_code == 200 and button.headers["Cache-Control"] == "no-store"
    assert browser.get("/portal/").status_code == 302
    used = browser.post(path, data={"csrf_token": CSRF})
    assert used.status_code == 303 and browser.get("/portal/").status_code == 200
    again = site.flask.test_client()
    with again.session_transaction() as session:
        session["csrf_token"] = CSRF
    assert again.post(path, data={"csrf_token": CSRF}).status_code == 404
    assert again.get("/portal/").status_code == 302


def test_asking_for_a_link_for_an_unknown_address_answers_the_same_and_mails_nothing(
        site: Site, smtp_inbox: Inbox):
    browser = site.flask.test_client()
    with browser.session_transaction() as session:
        session["csrf_token"] = CSRF
    asked = browser.post("/portal/signin/link", data={"csrf_token": CSRF,
                                                      "email": "stranger@else.example"})
    assert asked.status_code == 200 and "is on its way" in asked.get_data(as_text=True)
    assert smtp_inbox.to("stranger@else.example") == []


def test_an_owner_invites_a_member_who_chooses_a_password_from_the_e_mail(
        site: Site, smtp_inbox: Inbox):
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    invited = browser.post("/portal/users", data={
        "csrf_token": CSRF, "email": "boekhouding@bakkerij.example", "role": "member"})
    assert invited.status_code == 303
    listed = browser.get("/portal/users").get_data(as_text=True)
    assert "boekhouding@bakkerij.example" in listed and "no password yet" in listed
    path = _link(smtp_inbox, "boekhouding@bakkerij.example", "welcome")
    member = site.flask.test_client()
    with member.session_transaction() as session:
        session["csrf_token"] = CSRF
    short = member.post(path, data={"csrf_token": CSRF, "first_name": "Bram",
                                    "last_name": "Peeters", "password": "short",
                                    "password_again": "short"})
    assert short.status_code == 422 and "at least 10" in short.get_data(as_text=True)
    chosen = member.post(path, data={"csrf_token": CSRF, "first_name": "Bram",
                                     "last_name": "Peeters", "password": "bread and butter",
                                     "password_again": "bread and butter"})
    assert chosen.status_code == 303 and member.get("/portal/").status_code == 200
    use_csrf(member)
    assert portal_sign_in(site.flask.test_client(), "boekhouding@bakkerij.example",
                          "bread and butter").status_code == 303
    # a member sees the users but may not invite
    refused = member.post("/portal/users", data={"csrf_token": CSRF,
                                                 "email": "x@bakkerij.example",
                                                 "role": "member"})
    assert refused.status_code == 403 and "Only an owner" in refused.get_data(as_text=True)


def test_removing_a_user_ends_their_session_at_once(outbox_site: Site):
    site = outbox_site
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office)
    users = ClientUsers(site.services.read_db)
    member = users.invite(site.office.firm_id, client_id, email="lid@bakkerij.example",
                          role="member")
    users.set_password(member.user_id, PASSWORD)
    theirs, ours = site.flask.test_client(), site.flask.test_client()
    portal_sign_in(theirs, member.email)
    portal_sign_in(ours, owner.email)
    assert theirs.get("/portal/documents").status_code == 200
    removed = ours.post(f"/portal/users/{member.user_id}/remove", data={"csrf_token": CSRF})
    assert removed.status_code == 303
    assert theirs.get("/portal/documents").status_code == 302  # back to the sign-in page
    assert ClientSessions(site.services.read_db).open_count(member.user_id) == 0
    last = ours.post(f"/portal/users/{owner.user_id}/remove", data={"csrf_token": CSRF})
    assert last.status_code == 403 and "last owner" in last.get_data(as_text=True)


def test_an_owner_cannot_remove_a_user_of_another_company(outbox_site: Site):
    site = outbox_site
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    _, other = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    answer = browser.post(f"/portal/users/{other.user_id}/remove", data={"csrf_token": CSRF})
    assert answer.status_code == 404
    assert ClientUsers(site.services.read_db).find(other.user_id) is not None


def test_signing_out_ends_the_session_also_for_a_copied_cookie(outbox_site: Site):
    site = outbox_site
    _, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    copied = browser.get_cookie("session", domain="lucy.test")
    assert copied is not None
    assert browser.post("/portal/signout", data={"csrf_token": CSRF}).status_code == 303
    thief = site.flask.test_client()
    thief.set_cookie("session", copied.value, domain="lucy.test")
    assert thief.get("/portal/").status_code == 302


def test_a_client_users_cookie_is_no_staff_session(outbox_site: Site):
    site = outbox_site
    client_id, owner = active_client(site.services.app, site.services.read_db, site.office)
    browser = site.flask.test_client()
    portal_sign_in(browser, owner.email)
    assert browser.get("/").status_code == 302  # the staff dashboard: sign in as staff
    assert browser.get(f"/clients/{client_id}/documents").status_code == 302
    assert browser.get("/api/v1/clients").status_code == 401
    assert browser.get(f"/api/v1/clients/{client_id}").status_code == 401
    staff = site.signed_in()
    assert staff.get("/portal/").status_code == 302  # and a staff session is no client's
    assert staff.get("/api/v1/portal/me").status_code == 401
