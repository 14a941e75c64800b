"""Reminders of invitations about to expire: when an invited client has not accepted and
its link has at most 3 days left, its firm contact (or, without one, the firm's admins)
gets one e-mail, once per invitation (keyed in ``lucy_sent_mail`` by the link's hash),
however often the check runs and in however many processes.

``InvitationReminders.run_once`` is the check: ``lucy-events notify run`` runs it once
(from cron), and ``serve`` runs it every ``INTERVAL`` seconds in a thread of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from lucy_events.aggregates.client import Client, ClientStatus
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.notifications.invitations import invitation_values
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.schedule import PeriodicCheck
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.projections.values import moment
from lucy_events.sqldb import Database

log = structlog.get_logger()
REMIND_BEFORE = timedelta(days=3)
INTERVAL = 3600.0


class InvitationReminders:
    def __init__(self, app: LucyApplication, read_db: Database, mailer: Mailer,
                 ledger: SentMail, public_url: str, clock: Callable[[], datetime]) -> None:
        self.app, self.read_db, self.mailer, self.ledger = app, read_db, mailer, ledger
        self.public_url, self.clock = public_url.rstrip("/"), clock

    def run_once(self) -> list[Sent]:
        now = self.clock()
        outcomes = []
        for client_id in self._expiring(now):
            try:
                client = self.app.client_for_operator(client_id)
            except DomainError:
                continue
            expires = client.invitation_expires_at
            if client.status is not ClientStatus.INVITED or expires is None or not (
                    now < expires <= now + REMIND_BEFORE):
                continue  # the read model lagged: the store says otherwise
            outcomes.extend(self._remind(client))
        return outcomes

    def _expiring(self, now: datetime) -> list[UUID]:
        with self.read_db.transaction() as tx:
            rows = tx.execute(
                "SELECT client_id FROM dashboard_clients WHERE status = 'Invited' AND "
                "invitation_expires_at > :now AND invitation_expires_at <= :soon",
                {"now": moment(now), "soon": moment(now + REMIND_BEFORE)})
        return [UUID(str(row[0])) for row in rows]

    def _remind(self, client: Client) -> list[Sent]:
        firm = self.app.firm(client.firm_id)
        contact = firm.staff.get(client.firm_contact_id) if client.firm_contact_id else None
        people = [contact] if contact else firm.admins
        values = invitation_values(self.app, client)
        sent = []
        for person in people:
            key = f"invitation-reminder:{client.invitation_token_hash}:{person.id}"
            message = build_mail(
                "reminder", language="en", to=person.email, to_name=person.name,
                from_address=self.mailer.from_address, from_name=firm.name,
                message_key=key.replace(":", "-"), firm_id=str(firm.id), values=values,
                link=f"{self.public_url}/clients/{client.id}")
            outcome = send_once(self.mailer, self.ledger, key, message)
            if outcome.sent:
                log.info("invitation reminder sent", client_id=str(client.id))
            sent.append(outcome)
        return sent


def reminder_schedule(reminders: InvitationReminders, interval: float = INTERVAL
                      ) -> PeriodicCheck:
    """The invitation reminders, checked hourly inside ``serve``."""
    return PeriodicCheck("invitation reminders", reminders.run_once, interval)
