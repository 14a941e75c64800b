"""The client list's tabs, filters and sorts as SQL fragments (pure, no I/O).

Every value reaches the database as a parameter; only whitelisted fragments are text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.client import ClientStatus
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.aggregates.packages import NO_INTEGRATION, PACKAGES
from lucy_events.projections.search import search_patterns


class TabNotAllowed(PermissionDenied):
    """Raised when a staff member asks for a tab their role does not have."""


class Tab(StrEnum):
    INVITATIONS = "invitations"  # invited, not yet accepted
    ONBOARDING = "onboarding"  # not yet active: created or invited
    MY_CLIENTS = "mine"  # the viewer is the firm contact or on one of its services
    ALL = "all"


TABS: dict[Role, tuple[Tab, ...]] = {
    Role.ADMIN: (Tab.INVITATIONS, Tab.ONBOARDING, Tab.MY_CLIENTS, Tab.ALL),
    Role.ACCOUNTANT: (Tab.ONBOARDING, Tab.MY_CLIENTS),
}
DEFAULT_TAB = {Role.ADMIN: Tab.ALL, Role.ACCOUNTANT: Tab.MY_CLIENTS}

_BY_NAME = "c.name_key, c.client_id"
_STATUS_RANK = "CASE c.status WHEN 'Created' THEN 0 WHEN 'Invited' THEN 1 ELSE 2 END"
SORTS = {
    "name": _BY_NAME,
    "-name": "c.name_key DESC, c.client_id DESC",
    "status": f"{_STATUS_RANK}, {_BY_NAME}",
    "-status": f"{_STATUS_RANK} DESC, {_BY_NAME}",
    # Clients without a trial end (not active yet) come last either way.
    "trial_end": f"(c.trial_ends_on IS NULL), c.trial_ends_on, {_BY_NAME}",
    "-trial_end": f"(c.trial_ends_on IS NULL), c.trial_ends_on DESC, {_BY_NAME}",
    "created": f"c.created_at, {_BY_NAME}",
    "-created": f"c.created_at DESC, {_BY_NAME}",
    "last_document": f"(c.last_document_at IS NULL), c.last_document_at, {_BY_NAME}",
    "-last_document": f"(c.last_document_at IS NULL), c.last_document_at DESC, {_BY_NAME}",
    "inbox": f"c.inbox_count, {_BY_NAME}",
    "-inbox": f"c.inbox_count DESC, {_BY_NAME}",
}
_PEPPOL = {
    "send": "c.peppol_send = TRUE",
    "receive": "c.peppol_receive = TRUE",
    "both": "(c.peppol_send = TRUE AND c.peppol_receive = TRUE)",
    "any": "(c.peppol_send = TRUE OR c.peppol_receive = TRUE)",
    "none": "(c.peppol_send = FALSE AND c.peppol_receive = FALSE)",
}


def role_of(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidValue("viewer_role", "must be 'admin' or 'accountant'") from None


def tab_for(role: Role, tab: Tab | str | None) -> Tab:
    if tab is None or tab == "":
        return DEFAULT_TAB[role]
    try:
        chosen = Tab(tab)
    except ValueError:
        raise InvalidValue("tab", f"must be one of {', '.join(Tab)}") from None
    if chosen not in TABS[role]:
        raise TabNotAllowed(f"the {chosen.value!r} tab is for admins only")
    return chosen


def order_by(sort: str | None) -> str:
    try:
        return SORTS[sort or "name"]
    except KeyError:
        raise InvalidValue("sort", f"must be one of {', '.join(SORTS)}") from None


@dataclass
class Where:
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, clause: str, **params: Any) -> None:
        self.clauses.append(clause)
        self.params.update(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "TRUE"


def visible(firm_id: UUID, role: Role) -> Where:
    """The firm's clients the viewer may see at all: non-admins never see hidden ones."""
    where = Where()
    where.add("c.firm_id = :firm_id", firm_id=str(firm_id))
    where.add("c.version > 0")  # only documents known so far: not listed yet
    if role is not Role.ADMIN:
        where.add("c.hidden = FALSE")
    return where


def mine(viewer_staff_id: UUID) -> tuple[str, dict[str, Any]]:
    """My clients: those where the viewer is the firm contact or a participant (owner
    included) of one of the client's services. The one rule of the dashboard's and the
    API's My clients tab and of the digests ("for their clients"); a team is how the
    firm organises its work, and being in the client's team does not make it yours."""
    return ("(c.firm_contact_id = :viewer OR c.participant_ids LIKE :participant)",
            {"viewer": str(viewer_staff_id), "participant": f'%"{viewer_staff_id}"%'})


def tab_condition(tab: Tab, mine_clause: str) -> str:
    """The tab as a condition; ``mine_clause`` (from ``mine``) for My clients."""
    return {
        Tab.INVITATIONS: f"c.status = '{ClientStatus.INVITED}'",
        Tab.ONBOARDING: f"c.status IN ('{ClientStatus.CREATED}', '{ClientStatus.INVITED}')",
        Tab.MY_CLIENTS: mine_clause,
        Tab.ALL: "TRUE",
    }[tab]


@dataclass(frozen=True)
class ClientFilters:
    q: str | None = None
    status: str | None = None
    team: UUID | str | None = None  # a team id, or "none" for clients without a team
    peppol: str | None = None  # send, receive, both, any, none
    integration: str | None = None  # a package code, or "none": no integration
    has_inbox: bool | None = None

    def apply_to(self, where: Where) -> None:
        patterns = search_patterns(self.q)
        if patterns is not None:
            if patterns.number is None:
                where.add(r"c.name_key LIKE :q_name ESCAPE '\'", q_name=patterns.name)
            else:
                where.add(r"(c.name_key LIKE :q_name ESCAPE '\' "
                          r"OR c.numbers_key LIKE :q_number ESCAPE '\')",
                          q_name=patterns.name, q_number=patterns.number)
        if self.status:
            if self.status not in tuple(ClientStatus):
                raise InvalidValue("status", f"must be one of {', '.join(ClientStatus)}")
            where.add("c.status = :status", status=self.status)
        if self.team:
            if self.team == "none":
                where.add("c.team_id IS NULL")
            else:
                where.add("c.team_id = :team", team=str(_uuid(self.team, "team")))
        if self.peppol:
            if self.peppol not in _PEPPOL:
                raise InvalidValue("peppol", f"must be one of {', '.join(_PEPPOL)}")
            where.add(_PEPPOL[self.peppol])
        if self.integration:
            if self.integration == NO_INTEGRATION.code:
                where.add("(c.integration_package IS NULL OR c.integration_package = 'none')")
            elif self.integration in PACKAGES:
                where.add("c.integration_package = :package", package=self.integration)
            else:
                raise InvalidValue("integration", f"unknown package {self.integration!r}")
        if self.has_inbox is not None:
            where.add("c.inbox_count > 0" if self.has_inbox else "c.inbox_count = 0")


def _uuid(value: UUID | str, field_name: str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise InvalidValue(field_name, f"{value!r} is not an id") from None
