"""What the client list returns: one ``ClientRow`` per client, typed for the API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.projections.dashboard_tables import CLIENTS
from lucy_events.projections.values import parse_day, parse_id, parse_moment

#: The columns the queries select, in ``ClientRow`` order (the favourite flag follows).
COLUMNS = (
    "client_id", "firm_id", "name", "enterprise_number", "vat_number", "country",
    "contact_name", "contact_email", "firm_contact_id", "firm_contact_name", "team_id",
    "team_name", "status", "invitation_expires_at", "activated_at", "plan", "trial_ends_on",
    "integration_package", "integration_kind", "integration_ubl", "peppol_send",
    "peppol_receive", "hidden", "auto_send", "inbox_count", "sending_count",
    "failed_count", "rejected_count", "last_document_at", "created_at", "updated_at",
)
assert set(COLUMNS) <= set(CLIENTS.column_names)
_IDS = {"client_id", "firm_id", "firm_contact_id", "team_id"}
_MOMENTS = {"invitation_expires_at", "activated_at", "last_document_at", "created_at",
            "updated_at"}
_FLAGS = {"integration_ubl", "peppol_send", "peppol_receive", "hidden", "auto_send",
          "favourite"}


@dataclass(frozen=True)
class ClientRow:
    client_id: UUID
    firm_id: UUID
    name: str
    enterprise_number: str | None
    vat_number: str | None
    country: str
    contact_name: str | None
    contact_email: str | None
    firm_contact_id: UUID | None
    firm_contact_name: str | None
    team_id: UUID | None
    team_name: str | None
    status: str
    invitation_expires_at: datetime | None
    activated_at: datetime | None
    plan: str | None
    trial_ends_on: date | None
    #: The linked package's code; ``none`` when "no integration" was chosen explicitly,
    #: None when nothing was chosen yet.
    integration_package: str | None
    integration_kind: str | None
    integration_ubl: bool | None
    peppol_send: bool
    peppol_receive: bool
    hidden: bool
    auto_send: bool
    #: Documents in the Inbox: received and not yet sent (nor being sent).
    inbox_count: int
    sending_count: int
    #: Documents whose last delivery failed (retryable or not) and that wait for a resend.
    failed_count: int
    #: Documents the accounting package refused.
    rejected_count: int
    last_document_at: datetime | None
    created_at: datetime
    updated_at: datetime
    favourite: bool = False

    @property
    def integration_name(self) -> str | None:
        package = PACKAGES.get(self.integration_package or "")
        return package.name if package else None

    @classmethod
    def from_values(cls, values: Sequence[Any]) -> ClientRow:
        """A row from the selected ``COLUMNS`` followed by the favourite flag."""
        return cls(*[convert(v) for convert, v in zip(_CONVERTERS, values, strict=True)])


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _converter(name: str) -> Callable[[Any], Any]:
    if name in _IDS:
        return parse_id
    if name in _MOMENTS:
        return parse_moment
    if name == "trial_ends_on":
        return parse_day
    if name in _FLAGS:
        return _flag
    return lambda value: value


_CONVERTERS = tuple(_converter(name) for name in (*COLUMNS, "favourite"))
assert [f.name for f in fields(ClientRow)] == [*COLUMNS, "favourite"]
