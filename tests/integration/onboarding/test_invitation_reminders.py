"""An invitation about to expire (3 days left) reminds the firm contact, once."""

from __future__ import annotations

from uuid import UUID

from lucy_events.web.api.invitations import link_for
from tests.integration.onboarding.conftest import Site
from tests.mail_support import Inbox, bodies


def _invited(site: Site, **fields: object) -> UUID:
    client_id = site.office.new_client(**fields)
    with site.flask.app_context():
        site.services.invitation_mail().invite(site.office.firm_id, client_id,
                                               site.office.admin, link_for)
    return client_id


def test_the_firm_contact_is_reminded_once_when_three_days_are_left(site: Site,
                                                                    smtp_inbox: Inbox):
    lotte = UUID(site.office.accountant.id)
    client_id = _invited(site, firm_contact_id=lotte)
    reminders = site.services.invitation_reminders()
    site.settle()
    site.clock.advance(days=17)  # 4 days left: not yet
    assert reminders.run_once() == []
    site.clock.advance(days=1, minutes=1)  # a little under 3 days left
    [outcome] = reminders.run_once()
    assert outcome.sent
    [reminder] = smtp_inbox.to(f"lotte@{site.office.firm_id.hex[:6]}.example")
    assert reminder["Subject"] == "The invitation of Bakkerij Claes expires on 2026-11-23"
    text, _ = bodies(reminder)
    assert f"/clients/{client_id}" in text
    again = reminders.run_once()  # the next hourly run, or a second process
    assert [o.already for o in again] == [True]
    assert len(smtp_inbox.to("lotte@")) == 1


def test_without_a_firm_contact_the_admins_are_reminded(site: Site, smtp_inbox: Inbox):
    _invited(site)
    site.settle()
    site.clock.advance(days=19)
    outcomes = site.services.invitation_reminders().run_once()
    assert [o.recipient for o in outcomes] == [
        f"Sofie Admin <sofie@{site.office.firm_id.hex[:6]}.example>"]


def test_an_accepted_or_expired_invitation_reminds_nobody(site: Site, smtp_inbox: Inbox):
    client_id = site.office.new_client()
    with site.flask.app_context():
        token = site.services.invitation_mail().invite(
            site.office.firm_id, client_id, site.office.admin, link_for).token
    site.services.app.accept_invitation(token)
    _invited(site, name="Garage De Smet", enterprise_number="0202239951")
    site.settle()
    site.clock.advance(days=22)  # the second one expired a day ago
    assert site.services.invitation_reminders().run_once() == []
    assert len(smtp_inbox.received) == 2  # the two invitations, no reminder
