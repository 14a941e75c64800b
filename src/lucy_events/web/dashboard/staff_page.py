"""/staff (admins): invite staff by e-mail, change roles, deactivate, create and rename
teams, move people between teams; /staff-links/{token}: the invited member's first
sign-in (the link works once)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from flask import Response, render_template, request, session, url_for

from lucy_events.aggregates.errors import DomainError, InvalidValue, PermissionDenied
from lucy_events.web.auth import SESSION_ID, sessions
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.csrf import renew_csrf_token
from lucy_events.web.dashboard.forms import FormErrors, form_errors, text
from lucy_events.web.dashboard.invitation_page import NO_STORE as NO_STORE_HEADERS
from lucy_events.web.dashboard.pages import done, services, viewer

log = structlog.get_logger()
Page = tuple[str, int] | tuple[str, int, dict[str, str]] | Response


def admin_viewer() -> Any:
    who = viewer()
    if not who.is_admin:
        raise PermissionDenied("only an admin may manage staff and teams")
    return who


def link_for(token: str) -> str:
    return url_for("dashboard.staff_link", token=token, _external=True)


def _page(status: int = 200, errors: FormErrors | None = None, **extra: Any) -> Page:
    firm = services().app.firm(admin_viewer().firm_id)
    staff = sorted(firm.staff.values(), key=lambda m: m.name.casefold())
    teams = sorted(firm.teams.items(), key=lambda t: t[1].casefold())
    headers = NO_STORE_HEADERS if "invited" in extra else {}
    return render_template("dashboard/staff.html", staff=staff, teams=teams, errors=errors,
                           values=extra.pop("values", {}), **extra), status, headers


@dashboard.get("/staff")
def staff_page() -> Page:
    return _page()


def acting(form: str, act: Any, message: str) -> Page:
    try:
        act()
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        status = 422 if isinstance(error, InvalidValue) else 409
        return _page(status, form_errors(form, error))
    return done(message, "dashboard.staff_page")


@dashboard.post("/staff/invite")
def invite_staff() -> Page:
    who = admin_viewer()
    values = {name: text(name) for name in ("name", "email", "role", "language")}
    try:
        invite = services().staff_admin().invite(
            who.firm_id, values["name"], values["email"], values["role"], who.actor,
            link_for, values["language"] or "en")
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        return _page(422 if isinstance(error, InvalidValue) else 409,
                     form_errors("invite", error), values=values)
    return _page(201, invited=values["email"], link=link_for(invite.token),
                 mail=invite.mail)


@dashboard.post("/staff/<uuid:staff_id>/role")
def change_staff_role(staff_id: UUID) -> Page:
    who, role = admin_viewer(), text("role")
    return acting("staff", lambda: services().staff_admin().change_role(
        who.firm_id, staff_id, role, who.actor), f"The role is now {role}.")


@dashboard.post("/staff/<uuid:staff_id>/deactivate")
def deactivate_staff(staff_id: UUID) -> Page:
    who = admin_viewer()
    return acting("staff", lambda: services().staff_admin().deactivate(
        who.firm_id, staff_id, who.actor),
        "Deactivated: their tokens and sessions no longer work.")


@dashboard.post("/staff/<uuid:staff_id>/team")
def move_staff(staff_id: UUID) -> Page:
    who, chosen = admin_viewer(), text("team_id")
    teams = {UUID(chosen)} if chosen else set()
    return acting("staff", lambda: services().app.set_staff_teams(
        who.firm_id, staff_id, teams, who.actor), "Moved.")


@dashboard.post("/teams")
def create_team() -> Page:
    who, name = admin_viewer(), text("name")
    return acting("team", lambda: services().app.create_team(who.firm_id, name, who.actor),
                   f"Team {name} created.")


@dashboard.post("/teams/<uuid:team_id>")
def rename_team(team_id: UUID) -> Page:
    who, name = admin_viewer(), text("name")
    return acting("team", lambda: services().app.rename_team(
        who.firm_id, team_id, name, who.actor), f"Team renamed to {name}.")


@dashboard.get("/staff-links/<token>")
def staff_link(token: str) -> Page:
    invited = services().staff_admin().links.usable(token)
    member = None
    if invited is not None:
        firm = services().app.firm(invited.firm_id)
        found = firm.staff.get(invited.staff_id)
        member = {"name": found.name, "firm": firm.name} if found else None
    return render_template("dashboard/staff_link.html", token=token, member=member,
                           first=None), 200 if member else 404, NO_STORE_HEADERS


@dashboard.post("/staff-links/<token>")
def use_staff_link(token: str) -> Page:
    first = services().staff_admin().sign_in_with_link(token)
    if first is None:
        return render_template("dashboard/staff_link.html", token=token, member=None,
                               first=None), 404, NO_STORE_HEADERS
    previous = session.get(SESSION_ID)
    if previous:
        sessions().end(str(previous), "signed in again")
    session.clear()
    session["firm_id"], session["staff_id"] = str(first.firm_id), str(first.staff_id)
    session[SESSION_ID] = sessions().start(first.firm_id, first.staff_id, first.role)
    renew_csrf_token()
    log.info("signed in with a staff link", firm_id=str(first.firm_id),
             staff_id=str(first.staff_id), address=request.remote_addr)
    return render_template("dashboard/staff_link.html", token=token, member=None,
                           first=first), 200, NO_STORE_HEADERS
