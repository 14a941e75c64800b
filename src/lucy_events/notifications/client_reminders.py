"""An admin reminds a client's participants about it (Pleo's "Notify bookkeepers"):
ticking what it is about and adding a comment. The e-mail goes to everyone on the
client's services (or, without any, its firm contact), each in their own language."""

from __future__ import annotations

import uuid
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.application import LucyApplication
from lucy_events.notifications.digests import Digests
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.schedule import PeriodicCheck
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.notifications.wording import words

log = structlog.get_logger()
#: What a reminder may be about, and the wording key that names it.
ABOUT = {"inbox": "digest_inbox", "failed": "digest_failed",
         "unrecognised": "digest_unrecognised", "quarantined": "digest_quarantined",
         "invitation": "digest_invitation", "trial": "digest_trial"}


class ClientReminders:
    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail,
                 public_url: str) -> None:
        self.app, self.mailer, self.ledger = app, mailer, ledger
        self.public_url = public_url.rstrip("/")

    def send(self, firm_id: UUID, client_id: UUID, about: list[str], comment: str,
             by: Actor) -> list[Sent]:
        if not by.is_admin:
            raise PermissionDenied("only an admin sends reminders about a client")
        unknown = [a for a in about if a not in ABOUT]
        if unknown or not about:
            raise InvalidValue("about", f"tick one or more of: {', '.join(ABOUT)}")
        client = self.app.client(firm_id, client_id, by)
        firm = self.app.firm(firm_id)
        people = [firm.staff[p] for p in sorted(client.participants) if p in firm.staff]
        if not people and client.firm_contact_id in firm.staff:
            people = [firm.staff[client.firm_contact_id]]
        if not people:
            raise InvalidValue("client", "has no participants and no firm contact to remind")
        sender = firm.staff_names.get(UUID(by.id), firm.name) if by.is_staff else firm.name
        reminder, outcomes = uuid.uuid4().hex, []
        for person in people:
            language = firm.digest_of(person.id)[1]
            key = f"client-reminder:{reminder}:{person.id}"
            message = build_mail(
                "client_reminder", language=language, to=person.email, to_name=person.name,
                from_address=self.mailer.from_address, from_name=firm.name,
                message_key=key.replace(":", "-"), firm_id=str(firm_id),
                values={"firm": firm.name, "client": client.name, "sender": sender},
                link=f"{self.public_url}/clients/{client_id}",
                extra={"about": [words(language)[ABOUT[a]] for a in about],
                       "comment": comment.strip()[:2000]})
            outcomes.append(send_once(self.mailer, self.ledger, key, message))
        log.info("client reminder", client_id=str(client_id), recipients=len(outcomes))
        return outcomes


def digest_schedule(digests: Digests, interval: float = 300.0) -> PeriodicCheck:
    """Due digests, checked every few minutes inside ``serve`` (a digest is due from its
    slot on; the ledger keeps it to one per member and period)."""
    return PeriodicCheck("digests", digests.run_once, interval)
