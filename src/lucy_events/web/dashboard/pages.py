"""What every dashboard page shares: the services, the viewer's firm (names of staff and
teams), and finishing a form: wait until the read models show the change, say what
happened, and go back to the page (post, redirect, get)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Response, current_app, flash, g, redirect, session, url_for

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.errors import DomainError
from lucy_events.aggregates.firm import StaffMember
from lucy_events.bootstrap import Services
from lucy_events.web.auth import SESSION_ID, Viewer, current_viewer
from lucy_events.web.consistency import wait_for_read_models
from lucy_events.web.dashboard import dashboard
from lucy_events.web.errors import Unauthorized


def services() -> Services:
    found: Services = current_app.extensions["lucy"]
    return found


def viewer() -> Viewer:
    return current_viewer()


def role(of: Viewer) -> Role:
    return of.actor.role or Role.ACCOUNTANT


@dataclass(frozen=True)
class FirmDirectory:
    """The viewer's firm as the pages name things: current staff and teams for the
    pickers, and everyone who ever worked there for the audit trail."""

    name: str
    staff: list[StaffMember]
    teams: list[tuple[UUID, str]]
    names: dict[UUID, str]


def firm_directory() -> FirmDirectory:
    if "firm_directory" not in g:
        firm = services().app.firm(viewer().firm_id)
        g.firm_directory = FirmDirectory(
            name=firm.name,
            staff=sorted(firm.staff.values(), key=lambda m: m.name.casefold()),
            teams=sorted(firm.teams.items(), key=lambda t: t[1].casefold()),
            names={**firm.staff_names, **firm.teams},
        )
    directory: FirmDirectory = g.firm_directory
    return directory


def done(message: str, endpoint: str, **values: Any) -> Response:
    """After a successful command: the next page shows the change and says so."""
    wait_for_read_models()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), 303)  # type: ignore[return-value]


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never another site (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


@dashboard.context_processor
def _signed_in() -> dict[str, object]:
    """Who is signed in, for the top bar; nothing on the pages of the signed out."""
    if SESSION_ID not in session:
        return {}
    try:
        return {"viewer": viewer(), "firm_name": firm_directory().name}
    except (Unauthorized, DomainError):
        return {}
