"""How each client event changes the client's dashboard row (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from lucy_events.aggregates.client import ClientStatus
from lucy_events.audit.sealing import ERASED
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections.search import fold, numbers_key
from lucy_events.projections.tables import Row
from lucy_events.projections.values import day, ident, moment


class Names(Protocol):
    """Where a client row finds the names of the staff member and team it refers to."""

    def staff_name(self, staff_id: str | None) -> str | None: ...
    def team_name(self, team_id: str | None) -> str | None: ...


Change = Callable[[Names, Row, FoldedEvent], None]


def _created(rows: Names, c: Row, e: FoldedEvent) -> None:
    d = e.data
    c.update(
        name=d["name"], name_key=fold(d["name"]),
        numbers_key=numbers_key(d.get("enterprise_number"), d.get("vat_number")),
        enterprise_number=d.get("enterprise_number"), vat_number=d.get("vat_number"),
        country=d["country"], status=ClientStatus.CREATED.value,
        created_at=moment(e.occurred_at),
    )
    _contact(rows, c, e)
    _firm_contact(rows, c, e)
    _team(rows, c, e)


def _contact(rows: Names, c: Row, e: FoldedEvent) -> None:
    person = e.data["contact_person"]
    first, last = person.get("first_name", ""), person.get("last_name", "")
    # an erased contact is one "erased person", not two
    c["contact_name"] = ERASED if ERASED in (first, last) else f"{first} {last}".strip()
    c["contact_email"] = person.get("email")


def _firm_contact(rows: Names, c: Row, e: FoldedEvent) -> None:
    c["firm_contact_id"] = ident(e.data.get("firm_contact_id"))
    c["firm_contact_name"] = rows.staff_name(c["firm_contact_id"])


def _team(rows: Names, c: Row, e: FoldedEvent) -> None:
    c["team_id"] = ident(e.data.get("team_id"))
    c["team_name"] = rows.team_name(c["team_id"])


def _invited(rows: Names, c: Row, e: FoldedEvent) -> None:
    c["status"] = ClientStatus.INVITED.value
    c["invitation_expires_at"] = moment(e.data["expires_at"])


def _activated(rows: Names, c: Row, e: FoldedEvent) -> None:
    c.update(status=ClientStatus.ACTIVE.value, activated_at=moment(e.occurred_at),
             trial_ends_on=day(e.data["trial_ends_on"]), plan=e.data["plan"],
             invitation_expires_at=None)


def _peppol(enable: bool) -> Change:
    def change(rows: Names, c: Row, e: FoldedEvent) -> None:
        for direction in ("send", "receive"):
            if e.data[direction]:
                c[f"peppol_{direction}"] = enable
    return change


def _linked(rows: Names, c: Row, e: FoldedEvent) -> None:
    c.update(integration_package=e.data["package"], integration_kind=e.data["kind"],
             integration_ubl=bool(e.data["ubl"]))


def _unlinked(rows: Names, c: Row, e: FoldedEvent) -> None:
    c.update(integration_package=None, integration_kind=None, integration_ubl=None)


def _set(column: str, field_name: str) -> Change:
    def change(rows: Names, c: Row, e: FoldedEvent) -> None:
        c[column] = e.data[field_name]
    return change


def _services(c: Row) -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(c.get("services") or "{}")
    return loaded


def _keep_services(c: Row, services: dict[str, dict[str, Any]]) -> None:
    everyone = {str(who) for s in services.values() for who in [s["owner"], *s["participants"]]}
    c.update(services=json.dumps(services, sort_keys=True),
             participant_ids=json.dumps(sorted(everyone)))


def _service_assigned(rows: Names, c: Row, e: FoldedEvent) -> None:
    services = _services(c)
    services[str(e.data["service_id"])] = {
        "owner": str(e.data["owner_id"]),
        "participants": [str(p) for p in e.data["participant_ids"]]}
    _keep_services(c, services)


def _service_ended(rows: Names, c: Row, e: FoldedEvent) -> None:
    services = _services(c)
    services.pop(str(e.data["service_id"]), None)
    _keep_services(c, services)


CLIENT_CHANGES: dict[str, Change] = {
    "ClientCreated": _created, "ContactPersonReplaced": _contact,
    "FirmContactChanged": _firm_contact, "TeamAssigned": _team,
    "Invited": _invited, "InvitationResent": _invited, "Activated": _activated,
    "PlanChanged": _set("plan", "plan"), "PeppolEnabled": _peppol(True),
    "PeppolDisabled": _peppol(False), "IntegrationLinked": _linked,
    "IntegrationUnlinked": _unlinked, "VisibilityChanged": _set("hidden", "hidden"),
    "AutoSendChanged": _set("auto_send", "auto_send"),
    "IntegrationSettingsChanged": _set("integration_ubl", "ubl"),
    "ServiceAssigned": _service_assigned, "ServiceEnded": _service_ended,
}
