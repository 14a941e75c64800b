"""Who among a client's users may do what: pure decisions, beside their errors.

A client's users are the company's own people on its side of the service (the client
portal). An owner manages the users; a member uses the documents and settings. The
last owner cannot be removed, so a company never locks itself out of its own side.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import DomainError, InvalidValue, PermissionDenied

OWNER, MEMBER = "owner", "member"
ROLES = (OWNER, MEMBER)


class UserExists(DomainError):
    """Raised when the e-mail address already belongs to a user of the company."""

    code = "user_exists"


class NotAnOwner(PermissionDenied):
    """Raised when a member tries what only an owner may do (invite, remove)."""


class LastOwner(PermissionDenied):
    """Raised when removing the user would leave the company without an owner."""


class OtherCompany(PermissionDenied):
    """Raised when a client user acts on a company that is not their own."""


def valid_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidValue("role", f"choose one of {', '.join(ROLES)}")
    return role


def check_may_manage_users(role: str) -> None:
    if role != OWNER:
        raise NotAnOwner("only an owner of the company may invite or remove its users")


def check_may_remove(remover_role: str, removed_id: UUID, owners: Sequence[UUID]) -> None:
    """``owners``: the ids of the company's owners now."""
    check_may_manage_users(remover_role)
    if list(owners) == [removed_id]:
        raise LastOwner("the company's last owner cannot be removed; make another "
                        "user owner first")


def check_acts_for(by: Actor, client_id: UUID) -> None:
    """A client user acts for their own company only; staff and system processes are
    checked elsewhere (the firm and visibility rules)."""
    if by.kind == "client_user" and by.client_id != client_id:
        raise OtherCompany("a client user may act only for their own company")


def check_staff_or_user_of(by: Actor, client_id: UUID) -> None:
    """The company's own choices (auto-send): the firm's staff, a system process, or one
    of the company's own users."""
    if by.kind == "client_user":
        check_acts_for(by, client_id)
    elif by.kind not in ("staff", "system"):
        raise PermissionDenied("only the firm's staff or the company's users may do this")
