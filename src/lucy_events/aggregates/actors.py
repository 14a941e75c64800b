"""Who did it: every event records its actor, for the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    ADMIN = "admin"
    ACCOUNTANT = "accountant"


@dataclass(frozen=True)
class Actor:
    """The person or process that issued a command.

    Recorded on events as ``str(actor)``: ``staff:<uuid>``, ``client:<uuid>``,
    ``client_user:<uuid>`` (one of the client's own users, signed in to the client
    portal) or ``system:<name>``; the role is checked by the command but not stored,
    because a staff member's role can change and the firm's own events say when. Nor is
    a client user's company: it is the event's own client.
    """

    kind: str
    id: str
    role: Role | None = None
    #: A client user's company (never recorded: the event's client is the same).
    client_id: UUID | None = None

    @classmethod
    def staff(cls, staff_id: UUID, role: Role) -> Actor:
        return cls("staff", str(staff_id), role)

    @classmethod
    def client(cls, client_id: UUID) -> Actor:
        return cls("client", str(client_id))

    @classmethod
    def client_user(cls, user_id: UUID, client_id: UUID) -> Actor:
        return cls("client_user", str(user_id), client_id=client_id)

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls("system", name)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"
