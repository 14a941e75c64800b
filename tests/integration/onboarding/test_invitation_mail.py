"""Invitations by e-mail: the link arrives at a real SMTP server (or the outbox), in the
contact person's language, naming the firm and its contact person; resending and
replacing the contact person kill the old link."""

from __future__ import annotations

from uuid import UUID

import pytest

from lucy_events.aggregates.client_rules import InvitationSuperseded
from lucy_events.application import token_hash
from lucy_events.notifications.sending import send_once
from lucy_events.web.api.invitations import link_for
from tests.integration.onboarding.conftest import Site
from tests.mail_support import Inbox, bodies, link_in
from tests.support import CONTACT


def _invite(site: Site, client_id: UUID, resend: bool = False):  # type: ignore[no-untyped-def]
    mail = site.services.invitation_mail()
    with site.flask.app_context():
        act = mail.resend if resend else mail.invite
        return act(site.office.firm_id, client_id, site.office.admin, link_for)


def test_inviting_mails_a_single_use_link_in_the_contacts_language(site: Site,
                                                                   smtp_inbox: Inbox):
    office = site.office
    lotte = UUID(office.accountant.id)
    client_id = office.new_client(
        name="Boulangerie Dubois", contact_person={**CONTACT, "language": "fr"},
        firm_contact_id=lotte)
    invitation = _invite(site, client_id)
    assert invitation.mail.sent and invitation.mail.error is None
    [message] = smtp_inbox.to("anna@bakkerij.example")
    assert message["Subject"] == "Dupont & Partners invite Boulangerie Dubois à partager " \
                                 "ses documents"
    assert message["Content-Language"] == "fr"
    text, html = bodies(message)
    assert "Lotte Accountant de Dupont & Partners vous invite" in text
    assert "Dupont &amp; Partners" in html and "Bonjour Anna" in html
    assert link_in(message).endswith(f"/invitations/{invitation.token}")
    assert "2026-11-23" in text  # valid 21 days from 2 November


def test_a_contact_without_a_language_gets_it_from_the_address(site: Site,
                                                               smtp_inbox: Inbox):
    client_id = site.office.new_client()  # Gent: Dutch
    _invite(site, client_id)
    [message] = smtp_inbox.received
    assert message["Subject"].startswith("Dupont & Partners nodigt Bakkerij Claes uit")


def test_resending_mails_a_new_link_and_the_old_one_dies(site: Site, smtp_inbox: Inbox):
    client_id = site.office.new_client()
    first = _invite(site, client_id)
    second = _invite(site, client_id, resend=True)
    links = [link_in(m) for m in smtp_inbox.to("anna@bakkerij.example")]
    assert links == [link_for_token(site, first.token), link_for_token(site, second.token)]
    with pytest.raises(InvitationSuperseded):
        site.services.app.accept_invitation(first.token)
    assert site.services.app.accept_invitation(second.token) == client_id


def link_for_token(site: Site, token: str) -> str:
    with site.flask.app_context():
        return link_for(token)


def test_replacing_the_contact_of_an_invited_client_invites_the_new_person(
        site: Site, smtp_inbox: Inbox):
    """The page used to say the new person was invited while the invitation (and the
    history) still named the old one, whose link kept working."""
    client_id = site.office.new_client()
    old = _invite(site, client_id)
    browser = site.signed_in()
    answer = site.post(browser, f"/clients/{client_id}/contact-person", **{
        "contact_person.first_name": "Bram", "contact_person.last_name": "Claes",
        "contact_person.email": "bram@bakkerij.example", "contact_person.language": "en"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    site.settle()
    page = browser.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Invited bram@bakkerij.example" in page
    history = browser.get(f"/clients/{client_id}/history").get_data(as_text=True)
    assert "bram@bakkerij.example a new invitation link" in history
    client = site.services.app.client_for_operator(client_id)
    assert client.invitation_email == "bram@bakkerij.example"
    [mail_to_bram] = smtp_inbox.to("bram@bakkerij.example")
    assert mail_to_bram["Subject"] == "Dupont & Partners invites Bakkerij Claes to share " \
                                      "its documents"
    with pytest.raises(InvitationSuperseded):
        site.services.app.accept_invitation(old.token)
    new_token = link_in(mail_to_bram).rsplit("/", 1)[1]
    assert site.services.app.accept_invitation(new_token) == client_id


def test_an_invitation_mail_goes_out_once_even_when_sent_again(site: Site,
                                                               smtp_inbox: Inbox):
    client_id = site.office.new_client()
    invitation = _invite(site, client_id)
    message = smtp_inbox.received[0]
    again = send_once(site.services.mailer(), site.services.sent_mail(),
                      f"invitation:{token_hash(invitation.token)}", message)
    assert again.already and not again.sent
    assert len(smtp_inbox.received) == 1


def test_a_relay_that_is_down_is_surfaced_never_dropped(tmp_path, clock):  # type: ignore[no-untyped-def]
    from tests.integration.onboarding.conftest import _site, settings_for
    from tests.mail_support import _free_port

    url = f"smtp://127.0.0.1:{_free_port()}?from=lucy@firm.test&starttls=false"
    for site in _site(settings_for(tmp_path, url)):
        client_id = site.office.new_client()
        invitation = _invite(site, client_id)
        assert not invitation.mail.sent
        assert "SMTP relay unreachable" in (invitation.mail.error or "")
        # not marked as sent: the next attempt (a resend) mails it
        assert not site.services.sent_mail().was_sent(
            f"invitation:{token_hash(invitation.token)}")


def test_without_a_relay_the_invitation_lands_in_the_outbox(outbox_site: Site):
    client_id = outbox_site.office.new_client()
    invitation = _invite(outbox_site, client_id)
    assert invitation.mail.sent
    outbox = outbox_site.services.outbox()
    assert outbox is not None
    [entry] = outbox.entries(str(outbox_site.office.firm_id))
    assert entry.to == "Anna Claes <anna@bakkerij.example>"
    assert entry.subject.startswith("Dupont & Partners nodigt Bakkerij Claes uit")
    message = outbox.message(entry.entry_id)
    assert message is not None and invitation.token in bodies(message)[0]
    assert outbox.entries(str(UUID(int=0))) == []  # another firm sees none of it
