"""/me/digest (every staff member, for themselves) and /clients/{id}/reminders (admins
remind a client's participants, Pleo's "Notify bookkeepers")."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.staff import (  # noqa: F401  (named in the docstrings)
    ClientReminderSchema,
    DigestChoiceSchema,
    ReminderSentSchema,
)
from lucy_events.web.api.staff import admin
from lucy_events.web.auth import current_viewer


@api.put("/me/digest")
def put_my_digest() -> tuple[dict[str, Any], int]:
    """How often I get the e-mail digest about my clients, and in which language.
    ---
    put:
      tags: [notifications]
      summary: Choose my digest
      requestBody:
        required: true
        content:
          application/json:
            schema: DigestChoiceSchema
      responses:
        200:
          content:
            application/json:
              schema: DigestChoiceSchema
        400: BadRequest
        401: Unauthorized
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(DigestChoiceSchema())
    services().app.choose_digest(viewer.firm_id, viewer.staff_id, body["frequency"],
                                 body["language"], viewer.actor)
    return {"frequency": body["frequency"], "language": body["language"]}, 200


@api.post("/clients/<uuid:client_id>/reminders")
def remind_participants(client_id: UUID) -> tuple[dict[str, Any], int]:
    """E-mail the client's participants about it, ticking what it is about (admins).
    ---
    post:
      tags: [notifications]
      summary: Remind the client's participants (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: ClientReminderSchema
      responses:
        200:
          content:
            application/json:
              schema: ReminderSentSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: Unprocessable
    """
    viewer = current_viewer()
    services().app.client(viewer.firm_id, client_id, viewer.actor)  # 404 before 403
    admin()
    body = json_body(ClientReminderSchema())
    outcomes = services().client_reminders().send(viewer.firm_id, client_id, body["about"],
                                                  body["comment"], viewer.actor)
    return {"sent_to": [o.recipient for o in outcomes if o.sent],
            "not_sent": [f"{o.recipient}: {o.error}" for o in outcomes if o.error]}, 200
