"""Admins run the firm's staff over the API and the dashboard: an invitation e-mail with
a single-use link (through a real SMTP server), roles, deactivation that stops tokens and
sessions at once, teams. The last admin stays."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from lucy_events.access_tokens import AccessTokens
from tests.integration.onboarding.conftest import Site
from tests.mail_support import Inbox, bodies


def _api(site: Site, token: str) -> Any:
    browser = site.flask.test_client()

    def call(method: str, path: str, body: Any = None) -> Any:
        return browser.open(f"/api/v1{path}", method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
    return call


def _admin_api(site: Site) -> Any:
    return _api(site, AccessTokens(site.services.read_db).issue(
        site.office.firm_id, UUID(site.office.admin.id)))


def _link_in(message: Any) -> str:
    found = re.search(r"http://lucy\.test/staff-links/[\w-]+", bodies(message)[0])
    assert found, "the e-mail carries the sign-in link"
    return found.group(0).removeprefix("http://lucy.test")


def _use_link(site: Site, path: str) -> tuple[FlaskClient, Any]:
    browser = site.flask.test_client()
    page = browser.get(path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert page.status_code == 200 and token, page.get_data(as_text=True)
    return browser, browser.post(path, data={"csrf_token": token.group(1)})


def test_an_invited_accountant_signs_in_once_with_the_mailed_link(site: Site,
                                                                   smtp_inbox: Inbox):
    api = _admin_api(site)
    invited = api("POST", "/staff", {"name": "Sofie Peeters", "email": "sofie@firm.test",
                                     "role": "accountant", "language": "nl"})
    assert invited.status_code == 201, invited.json
    assert invited.json["mail"] == {"sent": True, "error": None}
    [mail] = smtp_inbox.to("sofie@firm.test")
    text, html = bodies(mail)
    assert mail["Subject"] == f"{site.services.app.firm(site.office.firm_id).name} geeft u " \
        "toegang tot Lucy"
    assert "als accountant" in text and "staff-links/" in html
    path = _link_in(mail)
    assert invited.json["link"].endswith(path)
    browser, signed_in = _use_link(site, path)
    page = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200 and "You are signed in" in page
    token = re.search(r'id="access-token">(lucy_[\w-]+)<', page).group(1)  # type: ignore[union-attr]
    assert browser.get("/").status_code == 200, "the link started a session"
    me = _api(site, token)("GET", "/clients")
    assert me.status_code == 200, "and issued a working access token"
    again = site.flask.test_client().post(path, data={"csrf_token": "x"})
    assert again.status_code in (400, 404)
    assert site.flask.test_client().get(path).status_code == 404, "the link works once"


def test_deactivating_stops_the_members_token_and_session_at_once(site: Site,
                                                                  smtp_inbox: Inbox):
    api = _admin_api(site)
    staff_id = api("POST", "/staff", {"name": "Jan Wouters", "email": "jan@firm.test",
                                      "role": "accountant"}).json["id"]
    browser, _ = _use_link(site, _link_in(smtp_inbox.to("jan@firm.test")[0]))
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id, UUID(staff_id))
    assert _api(site, token)("GET", "/clients").status_code == 200
    gone = api("DELETE", f"/staff/{staff_id}")
    assert gone.status_code == 200 and gone.json == {"tokens_revoked": 2,
                                                     "sessions_ended": 1}
    assert _api(site, token)("GET", "/clients").status_code == 401
    assert browser.get("/").status_code in (302, 303), "the session no longer works"
    listed = api("GET", "/staff").json["staff"]
    assert "jan@firm.test" not in {m["email"] for m in listed}


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(site: Site):
    api = _admin_api(site)
    admin_id = site.office.admin.id
    demoted = api("PUT", f"/staff/{admin_id}/role", {"role": "accountant"})
    assert demoted.status_code == 409 and "at least one admin" in demoted.json["error"][
        "message"]
    assert api("DELETE", f"/staff/{admin_id}").status_code == 409
    accountant = site.office.accountant.id
    promoted = api("PUT", f"/staff/{accountant}/role", {"role": "admin"})
    assert promoted.status_code == 200 and promoted.json["role"] == "admin"
    assert api("PUT", f"/staff/{admin_id}/role", {"role": "accountant"}).status_code == 200


def test_an_accountant_cannot_manage_staff(site: Site):
    api = _api(site, AccessTokens(site.services.read_db).issue(
        site.office.firm_id, UUID(site.office.accountant.id)))
    assert api("GET", "/staff").status_code == 403
    assert api("POST", "/teams", {"name": "Payroll"}).status_code == 403


def test_teams_are_created_renamed_and_staff_moved_between_them(site: Site):
    api = _admin_api(site)
    payroll = api("POST", "/teams", {"name": "Payroll"}).json["id"]
    vat = api("POST", "/teams", {"name": "VAT"}).json["id"]
    assert api("POST", "/teams", {"name": "payroll"}).status_code == 409
    renamed = api("PUT", f"/teams/{payroll}", {"name": "Payroll & HR"})
    assert renamed.status_code == 200 and renamed.json["name"] == "Payroll & HR"
    accountant = site.office.accountant.id
    assert api("PUT", f"/staff/{accountant}/teams",
               {"team_ids": [payroll]}).json["team_ids"] == [payroll]
    moved = api("PUT", f"/staff/{accountant}/teams", {"team_ids": [vat]})
    assert moved.status_code == 200 and moved.json["team_ids"] == [vat]
    unknown = api("PUT", f"/staff/{accountant}/teams",
                  {"team_ids": ["00000000-0000-4000-8000-000000000000"]})
    assert unknown.status_code == 422 and "team_ids" in unknown.json["error"]["fields"]
    firm = site.services.app.firm(site.office.firm_id)
    assert firm.teams[UUID(payroll)] == "Payroll & HR"
    assert firm.member(UUID(accountant)).team_ids == {UUID(vat)}
    stored = [e.topic.rsplit(".", 1)[-1] for e in site.services.app.recorder.select_events(
        site.office.firm_id)]
    assert stored[-4:] == ["TeamRenamed", "StaffAssignedToTeam", "StaffRemovedFromTeam",
                           "StaffAssignedToTeam"]
