"""Digests and reminders arrive at a real SMTP server (aiosmtpd) with a controlled clock:
weekly on Monday from 10:00 Europe/Brussels, once per member and period however often
the check runs; daily from 08:00; in the member's language, HTML and plain text. An
admin reminds a client's participants, ticking what it is about."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.notifications.digests import due_period
from tests.integration.onboarding.conftest import Site
from tests.mail_support import Inbox, bodies

ROUTER = Actor.system("router")


def _api(site: Site, staff_id: str):  # type: ignore[no-untyped-def]
    browser = site.flask.test_client()
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id, UUID(staff_id))

    def call(method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return browser.open(f"/api/v1{path}", method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
    return call


def _client_needing_attention(site: Site) -> UUID:
    app, office = site.services.app, site.office
    client_id = office.new_client(name="Bakkerij Claes",
                                  firm_contact_id=UUID(office.accountant.id))
    office.receive(client_id, document_type=None)  # unrecognised, in the Inbox
    failed = office.receive(client_id)
    app.request_send(office.firm_id, failed, office.admin)
    app.record_send_failure(failed, "FTP 530 login incorrect", False, ROUTER)
    site.settle()
    return client_id


def test_the_weekly_digest_goes_out_once_on_monday_from_ten_in_the_members_language(
        site: Site, smtp_inbox: Inbox):
    _client_needing_attention(site)
    accountant = site.services.app.firm(site.office.firm_id).member(
        UUID(site.office.accountant.id))
    assert _api(site, site.office.accountant.id)("PUT", "/me/digest", {
        "frequency": "weekly", "language": "nl"}).status_code == 200
    site.services.app.choose_digest(site.office.firm_id, UUID(site.office.admin.id), "off",
                                    "en", site.office.admin)
    digests = site.services.digests()
    site.clock.now = datetime(2026, 11, 2, 8, 55, tzinfo=UTC)  # Monday 09:55 in Brussels
    assert digests.run_once() == []
    site.clock.now = datetime(2026, 11, 2, 9, 5, tzinfo=UTC)  # 10:05
    first, again = digests.run_once(), site.services.digests().run_once()
    assert [o.sent for o in first] == [True] and again == []
    [mail] = smtp_inbox.to(accountant.email)
    assert mail["Subject"] == f"{site.services.app.firm(site.office.firm_id).name}: 1 van " \
        "uw klanten vragen aandacht"
    text, html = bodies(mail)
    assert "Bakkerij Claes" in text and "FTP 530 login incorrect" in text
    assert "1 niet herkende documenten" in text and "documenten in de Inbox" in text
    assert "<h3>" in html and "FTP 530 login incorrect" in html
    site.clock.now = datetime(2026, 11, 8, 20, 0, tzinfo=UTC)  # Sunday: the same week
    assert digests.run_once() == []
    site.clock.now = datetime(2026, 11, 9, 9, 30, tzinfo=UTC)  # the next Monday, 10:30
    assert [o.sent for o in digests.run_once()] == [True]
    assert len(smtp_inbox.to(accountant.email)) == 2


def test_a_daily_digest_comes_from_eight_and_nothing_goes_to_who_has_nothing(
        site: Site, smtp_inbox: Inbox):
    client_id = _client_needing_attention(site)
    office, app = site.office, site.services.app
    team = app.create_team(office.firm_id, "Team Gent", office.admin)
    app.assign_staff_to_team(office.firm_id, UUID(office.admin.id), team, office.admin)
    app.assign_team(office.firm_id, client_id, team, office.admin)
    site.settle()
    site.services.app.choose_digest(office.firm_id, UUID(office.accountant.id), "daily",
                                    "en", office.admin)
    site.services.app.choose_digest(office.firm_id, UUID(office.admin.id), "daily", "fr",
                                    office.admin)
    site.clock.now = datetime(2026, 11, 4, 6, 59, tzinfo=UTC)  # 07:59 in Brussels
    assert site.services.digests().run_once() == []
    site.clock.now = datetime(2026, 11, 4, 7, 1, tzinfo=UTC)
    sent = site.services.digests().run_once()
    recipients = {o.recipient for o in sent}
    assert len(sent) == 1 and "Bakkerij" not in str(recipients)
    [mail] = smtp_inbox.received
    assert "of your clients need attention" in str(mail["Subject"])  # in English
    # The admin shares the client's team but is neither its firm contact nor on one of
    # its services: not their client (My clients' rule), so nothing to say.
    assert not smtp_inbox.to(site.services.app.firm(office.firm_id).member(
        UUID(office.admin.id)).email)


def test_the_periods_follow_brussels_time():
    monday_early = datetime(2026, 11, 2, 8, 59, tzinfo=UTC)
    assert due_period("weekly", monday_early) is None
    assert due_period("weekly", datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) == "2026-W45"
    assert due_period("daily", datetime(2026, 7, 1, 5, 59, tzinfo=UTC)) is None  # CEST
    assert due_period("daily", datetime(2026, 7, 1, 6, 0, tzinfo=UTC)) == "2026-07-01"
    assert due_period("monthly", datetime(2026, 12, 1, 6, 59, tzinfo=UTC)) is None
    assert due_period("monthly", datetime(2026, 12, 1, 7, 0, tzinfo=UTC)) == "2026-12"
    assert due_period("off", datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) is None


def test_an_admin_reminds_the_participants_about_one_client(site: Site, smtp_inbox: Inbox):
    client_id = _client_needing_attention(site)
    office, app = site.office, site.services.app
    admin, accountant = _api(site, office.admin.id), _api(site, office.accountant.id)
    service = admin("POST", "/services", {"name": "Bookkeeping"}).json["id"]
    admin("PUT", f"/clients/{client_id}/services/{service}",
          {"owner_id": office.accountant.id})
    app.choose_digest(office.firm_id, UUID(office.accountant.id), "weekly", "fr",
                      office.admin)
    body = {"about": ["failed", "unrecognised"], "comment": "Graag voor vrijdag"}
    assert accountant("POST", f"/clients/{client_id}/reminders", body).status_code == 403
    sent = admin("POST", f"/clients/{client_id}/reminders", body)
    assert sent.status_code == 200 and len(sent.json["sent_to"]) == 1, sent.json
    [mail] = smtp_inbox.received
    assert mail["Subject"] == "Rappel concernant Bakkerij Claes"
    text, _ = bodies(mail)
    assert "envois échoués" in text and "documents non reconnus" in text
    assert "Graag voor vrijdag" in text and f"/clients/{client_id}" in text
    wrong = admin("POST", f"/clients/{client_id}/reminders", {"about": ["weather"]})
    assert wrong.status_code == 400 and "about.0" in wrong.json["error"]["fields"]
