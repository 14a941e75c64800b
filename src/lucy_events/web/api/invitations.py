"""Inviting a client's contact person, and their accepting.

Inviting e-mails the link to the contact person (``notifications.invitations``); the
token is in that e-mail and in the answer to the invite (or resend) and nowhere else:
the events keep only its hash, so a lost link is replaced by resending, never looked up.
``email.sent`` false with ``email.error`` says the e-mail could not go out.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from lucy_events.aggregates.client_rules import InvitationInvalid
from lucy_events.notifications.invitations import Invitation
from lucy_events.web.api.access import client_row, services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import detail
from lucy_events.web.auth import Viewer, current_viewer
from lucy_events.web.errors import error_body

Answer = tuple[Any, int, dict[str, str]]
#: The link is a credential: no cache, proxy or browser history should keep it.
_NO_STORE = {"Cache-Control": "no-store"}


def link_for(token: str) -> str:
    """The activation page's address, as the e-mail carries it."""
    return url_for("dashboard.invitation_page", token=token, _external=True)


def _invitation(viewer: Viewer, client_id: UUID, sent: Invitation, status: int) -> Answer:
    token = sent.token
    expires_at = services().app.client(viewer.firm_id, client_id,
                                       viewer.actor).invitation_expires_at
    written()
    return {
        "email": {"to": sent.mail.recipient, "sent": sent.mail.sent or sent.mail.already,
                  "error": sent.mail.error},
        "link": f"/invitations/{token}",
        "accept_path": f"{api.url_prefix}/invitations/{token}/accept",
        "expires_at": expires_at.isoformat() if expires_at else None,
        "client": detail(viewer, client_id) if client_row(viewer, client_id) else None,
    }, status, _NO_STORE


@api.post("/clients/<uuid:client_id>/invitation")
def invite(client_id: UUID) -> Answer:
    """Invite the client's contact person; the link is valid for 21 days.
    ---
    post:
      tags: [invitations]
      summary: Invite the client (the link is in this answer only)
      responses:
        201:
          content:
            application/json:
              schema: InvitationSchema
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    sent = services().invitation_mail().invite(viewer.firm_id, client_id, viewer.actor,
                                                link_for)
    return _invitation(viewer, client_id, sent, 201)


@api.put("/clients/<uuid:client_id>/invitation")
def resend(client_id: UUID) -> Answer:
    """Send the invitation again with a new link; the earlier links stop working.
    ---
    put:
      tags: [invitations]
      summary: Resend the invitation (a new link, in this answer only)
      responses:
        200:
          content:
            application/json:
              schema: InvitationSchema
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    sent = services().invitation_mail().resend(viewer.firm_id, client_id, viewer.actor,
                                                link_for)
    return _invitation(viewer, client_id, sent, 200)


@api.post("/invitations/<token>/accept")
def accept_invitation(token: str) -> tuple[Any, int]:
    """The client's contact person accepts: the client is Active and its trial starts.
    No staff token: the invitation token is the credential.
    ---
    post:
      tags: [invitations]
      summary: Accept an invitation (no authentication)
      security: []
      responses:
        200:
          content:
            application/json:
              schema: InvitationAcceptedSchema
        404:
          description: no invitation has this token (code invitation_invalid)
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: "superseded by a newer link (invitation_superseded), expired
            (invitation_expired), or already accepted (already_active)"
          content:
            application/json:
              schema: ErrorSchema
    """
    app = services().app
    try:
        client_id = app.accept_invitation(token)
    except InvitationInvalid as error:
        if type(error) is not InvitationInvalid:  # superseded or expired: say which
            raise
        return error_body("invitation_invalid", str(error)), 404
    written()
    client = app.client_for_operator(client_id)
    return {
        "client_id": str(client.id), "name": client.name, "status": client.status.value,
        "plan": client.plan,
        "trial_ends_on": client.trial_ends_on.isoformat() if client.trial_ends_on else None,
    }, 200
