"""Running the firm's staff: inviting someone with a single-use sign-in link sent by
e-mail, changing a role, deactivating. The commands go through the Firm aggregate (the
last admin stays); the credentials that follow from them (the link, access tokens,
dashboard sessions) change here, in the same call, so a deactivated member's token and
session stop working at once rather than at their next request's firm lookup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import structlog

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.sending import Sent, send_once
from lucy_events.notifications.wording import LANGUAGES
from lucy_events.sqldb import Database
from lucy_events.staff_invitations import InvitedStaff, StaffInvitations, link_hash
from lucy_events.staff_sessions import StaffSessions

log = structlog.get_logger()
LinkFor = Callable[[str], str]
ROLE_WORDS = {"admin": "admin", "accountant": "accountant"}


@dataclass(frozen=True)
class StaffInvite:
    staff_id: UUID
    #: The link's token (shown once to the admin, who may pass it on if the mail failed).
    token: str
    mail: Sent


@dataclass(frozen=True)
class FirstSignIn:
    firm_id: UUID
    staff_id: UUID
    role: str
    #: Their first personal access token (shown once), for the API and signing in again.
    access_token: str


class StaffAdmin:
    def __init__(self, app: LucyApplication, read_db: Database, mailer: Mailer,
                 ledger: SentMail) -> None:
        self.app, self.read_db, self.mailer, self.ledger = app, read_db, mailer, ledger
        self.links = StaffInvitations(read_db)

    def invite(self, firm_id: UUID, name: str, email: str, role: str, by: Actor,
               link_for: LinkFor, language: str = "en") -> StaffInvite:
        staff_id = self.app.add_staff_member(firm_id, name, email, role, by)
        token = self.links.issue(firm_id, staff_id)
        return StaffInvite(staff_id, token,
                           self._mail(firm_id, staff_id, token, by, link_for, language))

    def _mail(self, firm_id: UUID, staff_id: UUID, token: str, by: Actor,
              link_for: LinkFor, language: str) -> Sent:
        firm = self.app.firm(firm_id)
        member = firm.member(staff_id)
        inviter = firm.staff_names.get(UUID(by.id), firm.name) if by.is_staff else firm.name
        key = f"staff-invitation:{link_hash(token)}"
        message = build_mail(
            "staff_invitation", language=language if language in LANGUAGES else "en",
            to=member.email, to_name=member.name, from_address=self.mailer.from_address,
            from_name=firm.name, message_key=key.replace(":", "-"), firm_id=str(firm_id),
            values={"firm": firm.name, "inviter": inviter,
                    "role": ROLE_WORDS[member.role.value]},
            link=link_for(token))
        return send_once(self.mailer, self.ledger, key, message)

    def sign_in_with_link(self, token: str) -> FirstSignIn | None:
        """Spend the link: a session may start and the first access token is issued.
        None when the link is unknown, used, expired, or its member is gone."""
        invited: InvitedStaff | None = self.links.use(token)
        if invited is None:
            return None
        members = self.app.firm(invited.firm_id).staff
        member = members.get(invited.staff_id)
        if member is None:
            return None
        access = AccessTokens(self.read_db).issue(invited.firm_id, invited.staff_id,
                                                  "first sign-in")
        log.info("staff link used", firm_id=str(invited.firm_id),
                 staff_id=str(invited.staff_id))
        return FirstSignIn(invited.firm_id, invited.staff_id, member.role.value, access)

    def change_role(self, firm_id: UUID, staff_id: UUID, role: str, by: Actor) -> int:
        """The new role; the member's sessions end (they sign in again as what they
        are now). How many sessions ended."""
        self.app.change_staff_role(firm_id, staff_id, role, by)
        return StaffSessions(self.read_db).end_all(staff_id, "role changed")

    def deactivate(self, firm_id: UUID, staff_id: UUID, by: Actor) -> tuple[int, int]:
        """The member leaves the firm; their tokens are revoked, sessions and unused
        links end. (tokens revoked, sessions ended)."""
        self.app.remove_staff_member(firm_id, staff_id, by)
        self.links.withdraw(staff_id)
        tokens = AccessTokens(self.read_db).revoke_all(staff_id)
        sessions = StaffSessions(self.read_db).end_all(staff_id, "deactivated")
        log.info("staff deactivated", firm_id=str(firm_id), staff_id=str(staff_id),
                 tokens=tokens, sessions=sessions)
        return tokens, sessions
