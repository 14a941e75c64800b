"""/staff and /teams (admins): invite a staff member (a single-use sign-in link by
e-mail), change a role, deactivate, create and rename teams, move staff between teams.
The last admin can be neither deactivated nor demoted (409)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.aggregates.firm import Firm, StaffMember
from lucy_events.web.api.access import referenced, services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.staff import (  # noqa: F401  (named in the docstrings)
    DeactivatedSchema,
    FirmTeamSchema,
    StaffInvitedSchema,
    StaffInviteSchema,
    StaffListSchema,
    StaffMemberSchema,
    StaffRoleSchema,
    StaffTeamsSchema,
    TeamNameSchema,
)
from lucy_events.web.auth import Viewer, current_viewer

Answer = tuple[dict[str, Any], int]


def admin() -> Viewer:
    viewer = current_viewer()
    if not viewer.is_admin:
        raise PermissionDenied("only an admin may manage staff and teams")
    return viewer


def member_json(member: StaffMember) -> dict[str, Any]:
    return {"id": str(member.id), "name": member.name, "email": member.email,
            "role": member.role.value, "team_ids": sorted(str(t) for t in member.team_ids)}


def link_for(token: str) -> str:
    return url_for("dashboard.staff_link", token=token, _external=True)


def _firm(viewer: Viewer) -> Firm:
    return services().app.firm(viewer.firm_id)


@api.get("/staff")
def list_staff() -> dict[str, Any]:
    """The firm's staff and teams (admins).
    ---
    get:
      tags: [staff]
      summary: List staff and teams (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: StaffListSchema
        401: Unauthorized
        403: Forbidden
    """
    firm = _firm(admin())
    return {"staff": [member_json(m) for m in sorted(firm.staff.values(),
                                                      key=lambda m: m.name.casefold())],
            "teams": [{"id": str(i), "name": n} for i, n in sorted(
                firm.teams.items(), key=lambda t: t[1].casefold())]}


@api.post("/staff")
def invite_staff() -> Answer:
    """Invite a staff member: they get an e-mail with a single-use sign-in link.
    ---
    post:
      tags: [staff]
      summary: Invite a staff member (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: StaffInviteSchema
      responses:
        201:
          content:
            application/json:
              schema: StaffInvitedSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(StaffInviteSchema())
    invite = services().staff_admin().invite(
        viewer.firm_id, body["name"], body["email"], body["role"], viewer.actor, link_for,
        body["language"])
    member = _firm(viewer).member(invite.staff_id)
    return {**member_json(member), "link": link_for(invite.token),
            "mail": {"sent": invite.mail.sent or invite.mail.already,
                     "error": invite.mail.error}}, 201


@api.put("/staff/<uuid:staff_id>/role")
def put_staff_role(staff_id: UUID) -> Answer:
    """Change a staff member's role; their sessions end (the last admin stays one).
    ---
    put:
      tags: [staff]
      summary: Change a role (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: StaffRoleSchema
      responses:
        200:
          content:
            application/json:
              schema: StaffMemberSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(StaffRoleSchema())
    services().staff_admin().change_role(viewer.firm_id, staff_id, body["role"], viewer.actor)
    return member_json(_firm(viewer).member(staff_id)), 200


@api.delete("/staff/<uuid:staff_id>")
def deactivate_staff(staff_id: UUID) -> Answer:
    """Deactivate a staff member: their tokens and sessions stop working at once.
    ---
    delete:
      tags: [staff]
      summary: Deactivate a staff member (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: DeactivatedSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
    """
    viewer = admin()
    tokens, sessions = services().staff_admin().deactivate(viewer.firm_id, staff_id,
                                                           viewer.actor)
    return {"tokens_revoked": tokens, "sessions_ended": sessions}, 200


@api.put("/staff/<uuid:staff_id>/teams")
def put_staff_teams(staff_id: UUID) -> Answer:
    """The staff member's teams from now on (moving them: give the new team only).
    ---
    put:
      tags: [staff]
      summary: Set a staff member's teams (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: StaffTeamsSchema
      responses:
        200:
          content:
            application/json:
              schema: StaffMemberSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: Unprocessable
    """
    viewer, body = admin(), json_body(StaffTeamsSchema())
    with referenced(team="team_ids"):
        services().app.set_staff_teams(viewer.firm_id, staff_id, set(body["team_ids"]),
                                       viewer.actor)
    return member_json(_firm(viewer).member(staff_id)), 200


@api.post("/teams")
def create_team() -> Answer:
    """Create a team.
    ---
    post:
      tags: [staff]
      summary: Create a team (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: TeamNameSchema
      responses:
        201:
          content:
            application/json:
              schema: FirmTeamSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(TeamNameSchema())
    team_id = services().app.create_team(viewer.firm_id, body["name"], viewer.actor)
    return {"id": str(team_id), "name": _firm(viewer).teams[team_id]}, 201


@api.put("/teams/<uuid:team_id>")
def rename_team(team_id: UUID) -> Answer:
    """Rename a team.
    ---
    put:
      tags: [staff]
      summary: Rename a team (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: TeamNameSchema
      responses:
        200:
          content:
            application/json:
              schema: FirmTeamSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(TeamNameSchema())
    services().app.rename_team(viewer.firm_id, team_id, body["name"], viewer.actor)
    return {"id": str(team_id), "name": _firm(viewer).teams[team_id]}, 200
