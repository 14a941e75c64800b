"""Invitation e-mails, sent in the edge of the command that makes the link.

Why here and not in a consumer of ``Invited``: the link's token exists only in the
command that drew it; the event keeps its hash (``token_hash``), so nothing that reads
the events (Kafka, the notification log, logs) can ever rebuild the link. A consumer
would need the token stored somewhere it can read, which is exactly what the hash
avoids. So the command's caller (the API, the dashboard) hands the token straight to
this module, which mails it once per invitation (keyed by the token's hash in
``lucy_sent_mail``), retries a relay that is briefly away, and reports a failure to the
person who clicked, who sees the link once and can pass it on or resend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.application import LucyApplication, token_hash
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.notifications.wording import language_of

LinkFor = Callable[[str], str]


@dataclass(frozen=True)
class Invitation:
    """A new invitation: its token (for the link, shown once) and what its e-mail did."""

    token: str
    mail: Sent


class InvitationMail:
    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail) -> None:
        self.app, self.mailer, self.ledger = app, mailer, ledger

    def invite(self, firm_id: UUID, client_id: UUID, by: Actor, link_for: LinkFor
               ) -> Invitation:
        token = self.app.invite_client(firm_id, client_id, by)
        return self._mail(firm_id, client_id, token, link_for)

    def resend(self, firm_id: UUID, client_id: UUID, by: Actor, link_for: LinkFor
               ) -> Invitation:
        token = self.app.resend_invitation(firm_id, client_id, by)
        return self._mail(firm_id, client_id, token, link_for)

    def replace_contact_person(
        self, firm_id: UUID, client_id: UUID, contact_person: dict[str, str], by: Actor,
        link_for: LinkFor,
    ) -> Invitation | None:
        """None when the client was not invited (nobody to mail yet)."""
        token = self.app.replace_contact_person(firm_id, client_id, contact_person, by)
        return self._mail(firm_id, client_id, token, link_for) if token else None

    def _mail(self, firm_id: UUID, client_id: UUID, token: str, link_for: LinkFor
              ) -> Invitation:
        client = self.app.client_for_operator(client_id)
        key = f"invitation:{token_hash(token)}"
        message = build_mail(
            "invitation", language=_language(client), to=client.invitation_email or "",
            to_name=_name(client.contact_person), from_address=self.mailer.from_address,
            from_name=self.app.firm(firm_id).name, message_key=key.replace(":", "-"),
            firm_id=str(firm_id), values=invitation_values(self.app, client),
            link=link_for(token),
        )
        return Invitation(token, send_once(self.mailer, self.ledger, key, message))


def invitation_values(app: LucyApplication, client: Client) -> dict[str, str]:
    """What an invitation e-mail and the activation page name: the firm, its contact
    person for the client (or the firm itself when nobody is chosen), the client."""
    firm = app.firm(client.firm_id)
    contact = firm.staff.get(client.firm_contact_id) if client.firm_contact_id else None
    expires = client.invitation_expires_at
    return {
        "firm": firm.name, "client": client.name,
        "first_name": client.contact_person.get("first_name", ""),
        "firm_contact": contact.name if contact else firm.name,
        "firm_contact_email": contact.email if contact else "",
        "expires": f"{expires:%Y-%m-%d}" if expires else "",
    }


def _language(client: Client) -> str:
    return language_of(client.contact_person, client.country,
                       client.address.get("postal_code", ""))


def _name(person: dict[str, str]) -> str:
    return f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
