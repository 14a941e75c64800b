"""The accounting firm: its staff, teams and portal-level integration configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.companies import required_text, valid_email
from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound, PermissionDenied
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.packages import accounting_package

DIGEST_FREQUENCIES = ("off", "daily", "weekly", "monthly")
_SECRET_KEY = re.compile(r"pass|secret|token|private|api_key", re.IGNORECASE)


class StaffMemberNotFound(NotFound):
    """Raised when a staff id is not (or no longer) a member of the firm."""


class TeamNotFound(NotFound):
    """Raised when a team id is not a team of the firm."""


class LastAdminCannotBeRemoved(DomainError):
    """Raised when removing the staff member would leave the firm without an admin."""


class LastAdminCannotBeDemoted(DomainError):
    """Raised when changing the role would leave the firm without an admin."""


class DuplicateStaffEmail(DomainError):
    """Raised when another current staff member already uses the e-mail address."""


class DuplicateTeamName(DomainError):
    """Raised when the firm already has a team of that name."""


class DuplicateServiceName(DomainError):
    """Raised when the firm already offers a service of that name."""


class StaffMemberStillOnStaff(DomainError):
    """Raised when erasing a staff member who is still on the staff: remove them first."""


#: Whose personal data can be erased: a person known by an e-mail address (a client's
#: contact person, an invitee, a mail sender) or a staff member (by staff id).
PERSON_KINDS = ("email", "staff")


class PortalConfigurationNotNeeded(DomainError):
    """Raised when configuring an e-mail integration at firm level, which has none."""


@dataclass(frozen=True)
class StaffMember:
    id: UUID
    name: str
    email: str
    role: Role
    team_ids: frozenset[UUID] = field(default_factory=frozenset)

    @property
    def actor(self) -> Actor:
        return Actor.staff(self.id, self.role)


class Firm(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID

    class FirmRegistered(Event, Aggregate.Created):
        name: str

    class StaffMemberAdded(Event):
        staff_id: UUID
        name: str
        email: str
        role: str

        def apply(self, firm: Firm) -> None:
            firm.staff[self.staff_id] = StaffMember(
                self.staff_id, self.name, self.email, Role(self.role)
            )
            firm.staff_names[self.staff_id] = self.name

    class StaffMemberRemoved(Event):
        staff_id: UUID

        def apply(self, firm: Firm) -> None:
            del firm.staff[self.staff_id]

    class StaffRoleChanged(Event):
        staff_id: UUID
        role: str

        def apply(self, firm: Firm) -> None:
            member = firm.staff[self.staff_id]
            firm.staff[self.staff_id] = StaffMember(
                member.id, member.name, member.email, Role(self.role), member.team_ids)

    class TeamCreated(Event):
        team_id: UUID
        name: str

        def apply(self, firm: Firm) -> None:
            firm.teams[self.team_id] = self.name

    class StaffAssignedToTeam(Event):
        staff_id: UUID
        team_id: UUID

        def apply(self, firm: Firm) -> None:
            member = firm.staff[self.staff_id]
            firm.staff[self.staff_id] = StaffMember(
                member.id, member.name, member.email, member.role,
                member.team_ids | {self.team_id},
            )

    class TeamRenamed(Event):
        team_id: UUID
        name: str

        def apply(self, firm: Firm) -> None:
            firm.teams[self.team_id] = self.name

    class StaffRemovedFromTeam(Event):
        staff_id: UUID
        team_id: UUID

        def apply(self, firm: Firm) -> None:
            member = firm.staff[self.staff_id]
            firm.staff[self.staff_id] = StaffMember(
                member.id, member.name, member.email, member.role,
                member.team_ids - {self.team_id},
            )

    class ServiceDefined(Event):
        service_id: UUID
        name: str

        def apply(self, firm: Firm) -> None:
            firm.services[self.service_id] = self.name

    class DigestChosen(Event):
        staff_id: UUID
        frequency: str
        language: str

        def apply(self, firm: Firm) -> None:
            firm.digests[self.staff_id] = (self.frequency, self.language)

    class PortalIntegrationConfigured(Event):
        package: str
        settings: dict[str, str]

        def apply(self, firm: Firm) -> None:
            firm.portal_integrations[self.package] = dict(self.settings)

    class PersonErased(Event):
        """A person's personal data was erased at their request: the key their fields
        were sealed with is destroyed; those fields read "erased person" from now on."""

        person_id: UUID
        identified_by: str
        staff_id: UUID | None
        reason: str

    class PortalIntegrationRemoved(Event):
        package: str

        def apply(self, firm: Firm) -> None:
            firm.portal_integrations.pop(self.package, None)
            firm.portal_connections.pop(self.package, None)

    class PortalIntegrationConnected(Event):
        package: str

        def apply(self, firm: Firm) -> None:
            firm.portal_connections[self.package] = self.actor

    @event(FirmRegistered)
    def __init__(self, *, actor: str, firm_id: UUID, name: str) -> None:
        self.name = name
        self.staff: dict[UUID, StaffMember] = {}
        # Everyone who ever worked here, so the audit trail can name former staff too.
        self.staff_names: dict[UUID, str] = {}
        self.teams: dict[UUID, str] = {}
        self.portal_integrations: dict[str, dict[str, str]] = {}
        #: Packages whose firm account an admin connected by consent (OAuth2): who did.
        self.portal_connections: dict[str, str] = {}
        #: What the firm does for clients (bookkeeping, VAT returns...): id -> name.
        self.services: dict[UUID, str] = {}
        #: Each staff member's e-mail digest: (off|daily|weekly|monthly, language).
        self.digests: dict[UUID, tuple[str, str]] = {}

    @classmethod
    def register(cls, firm_id: UUID, name: str, by: Actor) -> Firm:
        name = required_text(name, "name")
        return cls._create(
            cls.FirmRegistered, id=firm_id, actor=str(by), firm_id=firm_id, name=name
        )

    def _record(self, event_class: type[Firm.Event], by: Actor, **fields: Any) -> None:
        self.trigger_event(event_class, actor=str(by), firm_id=self.id, **fields)

    def _require_admin(self, by: Actor) -> None:
        # The system actor bootstraps a firm (first admin, demo data) before any admin exists.
        if by.kind == "system":
            return
        if not (by.is_staff and by.is_admin and UUID(by.id) in self.staff):
            raise PermissionDenied("only an admin of the firm may do this")

    def member(self, staff_id: UUID) -> StaffMember:
        try:
            return self.staff[staff_id]
        except KeyError:
            raise StaffMemberNotFound(f"no staff member {staff_id} in this firm") from None

    @property
    def admins(self) -> list[StaffMember]:
        return [m for m in self.staff.values() if m.role is Role.ADMIN]

    def add_staff_member(
        self, staff_id: UUID, name: str, email: str, role: str, by: Actor
    ) -> None:
        self._require_admin(by)
        name = required_text(name, "name")
        email = valid_email(email, "email")
        try:
            role = Role(role).value
        except ValueError:
            raise InvalidValue("role", "must be 'admin' or 'accountant'") from None
        if any(m.email == email for m in self.staff.values()):
            raise DuplicateStaffEmail(f"{email} is already a staff member of this firm")
        self._record(
            self.StaffMemberAdded, by, staff_id=staff_id, name=name, email=email, role=role
        )

    def remove_staff_member(self, staff_id: UUID, by: Actor) -> None:
        self._require_admin(by)
        member = self.member(staff_id)
        if member.role is Role.ADMIN and len(self.admins) == 1:
            raise LastAdminCannotBeRemoved("the firm must keep at least one admin")
        self._record(self.StaffMemberRemoved, by, staff_id=staff_id)

    def change_role(self, staff_id: UUID, role: str, by: Actor) -> None:
        self._require_admin(by)
        member = self.member(staff_id)
        try:
            new = Role(role)
        except ValueError:
            raise InvalidValue("role", "must be 'admin' or 'accountant'") from None
        if new is member.role:
            return
        if member.role is Role.ADMIN and len(self.admins) == 1:
            raise LastAdminCannotBeDemoted("the firm must keep at least one admin")
        self._record(self.StaffRoleChanged, by, staff_id=staff_id, role=new.value)

    def create_team(self, team_id: UUID, name: str, by: Actor) -> None:
        self._require_admin(by)
        name = self._new_team_name(name)
        self._record(self.TeamCreated, by, team_id=team_id, name=name)

    def rename_team(self, team_id: UUID, name: str, by: Actor) -> None:
        self._require_admin(by)
        self.require_team(team_id)
        if required_text(name, "name") == self.teams[team_id]:
            return
        name = self._new_team_name(name, team_id)
        self._record(self.TeamRenamed, by, team_id=team_id, name=name)

    def _new_team_name(self, name: str, renamed: UUID | None = None) -> str:
        name = required_text(name, "name")
        others = {t.casefold() for i, t in self.teams.items() if i != renamed}
        if name.casefold() in others:
            raise DuplicateTeamName(f"the firm already has a team called {name!r}")
        return name

    def require_team(self, team_id: UUID) -> None:
        if team_id not in self.teams:
            raise TeamNotFound(f"no team {team_id} in this firm")

    def assign_to_team(self, staff_id: UUID, team_id: UUID, by: Actor) -> None:
        self._require_admin(by)
        member = self.member(staff_id)
        self.require_team(team_id)
        if team_id not in member.team_ids:
            self._record(self.StaffAssignedToTeam, by, staff_id=staff_id, team_id=team_id)

    def define_service(self, service_id: UUID, name: str, by: Actor) -> None:
        self._require_admin(by)
        name = required_text(name, "name")
        if name.casefold() in {n.casefold() for n in self.services.values()}:
            raise DuplicateServiceName(f"the firm already has a service called {name!r}")
        self._record(self.ServiceDefined, by, service_id=service_id, name=name)

    def choose_digest(self, staff_id: UUID, frequency: str, language: str, by: Actor
                      ) -> None:
        """A staff member chooses their own digest (an admin may choose for anyone)."""
        if not (by.kind == "system" or by.id == str(staff_id)):
            self._require_admin(by)
        self.member(staff_id)
        if frequency not in DIGEST_FREQUENCIES:
            raise InvalidValue("frequency", "must be off, daily, weekly or monthly")
        if language not in ("nl", "fr", "en"):
            raise InvalidValue("language", "must be nl, fr or en")
        if self.digest_of(staff_id) != (frequency, language):
            self._record(self.DigestChosen, by, staff_id=staff_id, frequency=frequency,
                         language=language)

    def digest_of(self, staff_id: UUID) -> tuple[str, str]:
        """(frequency, language): weekly in English until the member chooses."""
        return getattr(self, "digests", {}).get(staff_id, ("weekly", "en"))

    def set_teams(self, staff_id: UUID, team_ids: set[UUID], by: Actor) -> None:
        """The staff member's teams become exactly ``team_ids`` (moving someone between
        teams is leaving the old one and joining the new one)."""
        self._require_admin(by)
        member = self.member(staff_id)
        for team_id in team_ids:
            self.require_team(team_id)
        for team_id in sorted(member.team_ids - team_ids):
            self._record(self.StaffRemovedFromTeam, by, staff_id=staff_id, team_id=team_id)
        for team_id in sorted(team_ids - member.team_ids):
            self._record(self.StaffAssignedToTeam, by, staff_id=staff_id, team_id=team_id)

    def configure_portal_integration(
        self, package_code: str, settings: dict[str, str], by: Actor
    ) -> None:
        self._require_admin(by)
        package = accounting_package(package_code)
        if not package.needs_portal_configuration:
            raise PortalConfigurationNotNeeded(f"{package.name} needs no firm configuration")
        clean = {str(k): str(v) for k, v in (settings or {}).items()}
        for key in clean:
            if _SECRET_KEY.search(key):
                raise InvalidValue(
                    f"settings.{key}",
                    "secrets are never stored in events; store it in the secret store "
                    "and pass its name as credentials_ref",
                )
        self._record(self.PortalIntegrationConfigured, by, package=package.code, settings=clean)

    def record_portal_connection(self, package_code: str, by: Actor) -> None:
        """An admin gave the package access to the firm's account (the tokens went to the
        secret store; the event says only who connected which package, and when)."""
        self._require_admin(by)
        if package_code not in self.portal_integrations:
            raise NotFound(f"{package_code} is not configured for this firm")
        self._record(self.PortalIntegrationConnected, by, package=package_code)

    def remove_portal_integration(self, package_code: str, by: Actor) -> None:
        self._require_admin(by)
        if package_code not in self.portal_integrations:
            raise NotFound(f"{package_code} is not configured for this firm")
        self._record(self.PortalIntegrationRemoved, by, package=package_code)

    def record_erasure(
        self, person_id: UUID, kind: str, reason: str, by: Actor,
        staff_id: UUID | None = None,
    ) -> None:
        """Record that a person's data is erased (the caller then destroys their key)."""
        self._require_admin(by)
        if kind not in PERSON_KINDS:
            raise InvalidValue("kind", f"must be one of {', '.join(PERSON_KINDS)}")
        if kind == "staff" and staff_id is None:
            raise InvalidValue("staff_id", "is required to erase a staff member")
        if staff_id is not None and staff_id in self.staff:
            raise StaffMemberStillOnStaff(
                "this person is still on the firm's staff: remove them before erasing")
        self._record(self.PersonErased, by, person_id=person_id, identified_by=kind,
                     staff_id=staff_id, reason=required_text(reason, "reason", 500))
