"""E-mail digests for staff: daily at 08:00, weekly on Monday at 10:00, monthly on the
1st at 08:00 (Europe/Brussels), each member as they chose (``DigestChosen``; weekly in
English until then). A digest lists, for the member's clients (``client_filters.mine``:
firm contact or service participant, as My clients): documents waiting in the Inbox,
failed deliveries with their reasons, unrecognised documents, quarantined mail,
invitations about to expire and trials ending. It goes out once per member and period
— the period is the key in the sent-mail ledger — however often or in however many
processes the check runs; a member with nothing to report gets nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.errors import DomainError
from lucy_events.aggregates.firm import Firm, StaffMember
from lucy_events.application import LucyApplication
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.projections.client_filters import mine
from lucy_events.projections.document_queries import failed_deliveries
from lucy_events.projections.values import moment
from lucy_events.sqldb import Database

log = structlog.get_logger()
BRUSSELS = ZoneInfo("Europe/Brussels")
SOON = timedelta(days=3)
TRIAL_SOON = timedelta(days=7)


def due_period(frequency: str, now: datetime) -> str | None:
    """The period whose digest is due at ``now`` (its slot has passed), else None."""
    local = now.astimezone(BRUSSELS)
    today = local.date()
    if frequency == "daily":
        return today.isoformat() if local >= _at(today, 8) else None
    if frequency == "weekly":
        monday = today - timedelta(days=today.weekday())
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}" if local >= _at(monday, 10) else None
    if frequency == "monthly":
        first = today.replace(day=1)
        return f"{first:%Y-%m}" if local >= _at(first, 8) else None
    return None


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BRUSSELS)


class Digests:
    def __init__(self, app: LucyApplication, read_db: Database, mailer: Mailer,
                 ledger: SentMail, public_url: str, clock: Callable[[], datetime]) -> None:
        self.app, self.read_db, self.mailer, self.ledger = app, read_db, mailer, ledger
        self.public_url, self.clock = public_url.rstrip("/"), clock

    def run_once(self) -> list[Sent]:
        now, outcomes = self.clock(), []
        for firm_id, _ in self.app.find_firms():
            firm = self.app.firm(firm_id)
            for member in list(firm.staff.values()):
                frequency, language = firm.digest_of(member.id)
                period = due_period(frequency, now)
                if period is None:
                    continue
                key = f"digest:{member.id}:{frequency}:{period}"
                if self.ledger.was_sent(key):
                    continue
                clients = self.report(firm, member, now)
                if clients:
                    outcomes.append(self._send(firm, member, language, frequency, key,
                                               clients))
        return outcomes

    def report(self, firm: Firm, member: StaffMember, now: datetime) -> list[dict[str, Any]]:
        """What the member's clients need, one entry per client with anything to say."""
        clause, params = mine(member.id)
        hidden = "" if member.role is Role.ADMIN else " AND c.hidden = FALSE"
        with self.read_db.transaction() as tx:
            rows = tx.execute(
                "SELECT c.client_id, c.name, c.inbox_count, c.status, "
                "c.invitation_expires_at, c.trial_ends_on FROM dashboard_clients c WHERE "
                f"c.firm_id = :firm AND c.version > 0 AND {clause}{hidden} ORDER BY c.name_key",
                {**params, "firm": str(firm.id)})
        entries = []
        for client_id, name, inbox, status, expires, trial in rows:
            entry = self._entry(UUID(str(client_id)), now, inbox=int(inbox or 0))
            if status == "Invited" and expires and moment(now) < expires <= moment(now + SOON):
                entry["invitation_expires"] = str(expires)[:10]
            if trial and now.date() <= date.fromisoformat(str(trial)[:10]) <= (
                    now + TRIAL_SOON).date():
                entry["trial_ends"] = str(trial)[:10]
            if any(v for k, v in entry.items() if k != "id"):
                entries.append({"name": name, **entry})
        return entries

    def _entry(self, client_id: UUID, now: datetime, inbox: int) -> dict[str, Any]:
        failed = [(f.document.file_name, f.document.failure_reason or "")
                  for f in failed_deliveries(self.read_db, client_id=client_id, limit=20)]
        with self.read_db.transaction() as tx:
            unrecognised = tx.execute(
                "SELECT COUNT(*) FROM client_documents WHERE client_id = :id AND "
                "status = 'Inbox' AND document_type IS NULL", {"id": str(client_id)})[0][0]
        try:
            quarantined = len(self.app.client_for_operator(client_id).quarantine)
        except DomainError:
            quarantined = 0
        return {"id": client_id, "inbox": inbox, "failed": failed,
                "unrecognised": int(unrecognised), "quarantined": quarantined}

    def _send(self, firm: Firm, member: StaffMember, language: str, frequency: str,
              key: str, clients: list[dict[str, Any]]) -> Sent:
        message = build_mail(
            "digest", language=language, to=member.email, to_name=member.name,
            from_address=self.mailer.from_address, from_name=firm.name,
            message_key=key.replace(":", "-"), firm_id=str(firm.id),
            values={"firm": firm.name, "name": member.name, "count": str(len(clients)),
                    "frequency": frequency},
            link=self.public_url, extra={"clients": clients, "url": self.public_url})
        outcome = send_once(self.mailer, self.ledger, key, message)
        log.info("digest", staff_id=str(member.id), sent=outcome.sent, clients=len(clients))
        return outcome
