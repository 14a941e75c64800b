"""The language of the service's e-mails: the contact's own, else guessed from the
address; and the messages built from the templates."""

from __future__ import annotations

from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.wording import language_of


def test_the_contacts_own_language_wins_over_the_address():
    assert language_of({"language": "en"}, "BE", "9000") == "en"


def test_without_one_the_address_decides():
    assert language_of({}, "BE", "9000") == "nl"  # Gent
    assert language_of({}, "BE", "4000") == "fr"  # Liège
    assert language_of({}, "BE", "1050") == "fr"  # Brussels
    assert language_of({}, "NL", "3511") == "nl"
    assert language_of({}, "DE", "10115") == "en"


def test_a_message_has_both_bodies_the_language_and_an_escaped_html():
    message = build_mail(
        "invitation", language="nl", to="anna@x.example", to_name="Anna", from_address=
        "lucy@firm.example", from_name="Dupont & Partners", message_key="k-1", firm_id="f",
        values={"firm": "Dupont & Partners", "client": "<Bakkerij>", "first_name": "Anna",
                "firm_contact": "Lotte", "firm_contact_email": "lotte@x.example",
                "expires": "2026-11-23"}, link="http://lucy.test/invitations/t")
    assert message["Message-ID"] == "<k-1@lucy-events>"
    assert message["Content-Language"] == "nl"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Beste Anna," in text and "<Bakkerij>" in text
    assert "&lt;Bakkerij&gt;" in html and "<Bakkerij>" not in html
    assert "geldig tot 2026-11-23" in text
