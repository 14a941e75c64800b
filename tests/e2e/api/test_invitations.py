"""Inviting a client over HTTP and the contact person accepting, without a staff token."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.http_client import Http


def test_an_invited_client_accepts_its_link_and_starts_its_trial(any_api: ApiServer):
    firm = any_api.firm()
    client = firm.new_client(name="Bakkerij Claes")
    invited = firm.accountant.post(f"/clients/{client['id']}/invitation")
    assert invited.status == 201, invited
    assert invited.headers["Cache-Control"] == "no-store"
    link = invited.json["link"]
    assert link.startswith("/invitations/") and invited.json["accept_path"] == (
        f"/api/v1{link}/accept")
    now = any_api.clock.now  # the server's clock, moved by hand
    assert invited.json["expires_at"] == (now + timedelta(days=21)).isoformat()
    assert invited.json["client"]["status"] == "Invited"
    accepted = Http(any_api.base).post(f"{link}/accept")
    trial_end = (now + timedelta(days=30)).date().isoformat()
    assert accepted.status == 200, accepted
    assert accepted.json == {"client_id": client["id"], "name": "Bakkerij Claes",
                             "status": "Active", "plan": "Business Pro",
                             "trial_ends_on": trial_end}
    shown = firm.admin.get(f"/clients/{client['id']}").json
    assert (shown["status"], shown["plan"], shown["trial_ends_on"]) == (
        "Active", "Business Pro", trial_end)


def test_the_link_is_shown_once_and_kept_nowhere_the_api_can_read(api: ApiServer, firm: Firm):
    client = firm.new_client()
    token = firm.admin.post(f"/clients/{client['id']}/invitation").json["link"].split("/")[-1]
    secret = token.split(".", 1)[1]
    for path in (f"/clients/{client['id']}", f"/clients/{client['id']}/history", "/clients"):
        assert secret not in firm.admin.get(path).content.decode()


def test_a_resent_invitation_supersedes_the_earlier_link(api: ApiServer, firm: Firm):
    client = firm.new_client()
    first = firm.admin.post(f"/clients/{client['id']}/invitation").json["link"]
    resent = firm.admin.put(f"/clients/{client['id']}/invitation")
    assert resent.status == 200 and resent.json["link"] != first
    old = Http(api.base).post(f"{first}/accept")
    assert old.status == 409 and old.error["code"] == "invitation_superseded"
    assert Http(api.base).post(f"{resent.json['link']}/accept").status == 200
    again = Http(api.base).post(f"{resent.json['link']}/accept")
    assert again.status == 409 and again.error["code"] == "already_active"
    inviting_again = firm.admin.post(f"/clients/{client['id']}/invitation")
    assert inviting_again.status == 409 and inviting_again.error["code"] == "already_active"


def test_an_unknown_or_malformed_token_is_a_404(api: ApiServer, firm: Firm):
    client = firm.new_client()
    firm.admin.post(f"/clients/{client['id']}/invitation")
    forged = f"/invitations/{client['id'].replace('-', '')}.not-the-secret"
    for link in (forged, "/invitations/nonsense", f"/invitations/{'0' * 32}.x"):
        reply = Http(api.base).post(f"{link}/accept")
        assert reply.status == 404 and reply.error["code"] == "invitation_invalid", link


def test_an_expired_invitation_cannot_be_accepted(api: ApiServer, firm: Firm):
    client = firm.new_client()
    link = firm.admin.post(f"/clients/{client['id']}/invitation").json["link"]
    api.clock.advance(days=22)
    reply = Http(api.base).post(f"{link}/accept")
    assert reply.status == 409 and reply.error["code"] == "invitation_expired"


def test_only_an_invited_clients_invitation_can_be_resent(firm: Firm):
    client = firm.new_client()
    reply = firm.admin.put(f"/clients/{client['id']}/invitation")
    assert reply.status == 409 and reply.error["code"] == "not_invited"
