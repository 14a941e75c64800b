"""A client's admin-only settings: hidden from accountants, and the firm's contact
person. The domain refuses an accountant (403); a client hidden from them stays a 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import referenced, services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import answer_written
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.settings import FirmContactSchema, VisibilitySchema
from lucy_events.web.auth import current_viewer

Answer = tuple[Any, int]


@api.put("/clients/<uuid:client_id>/visibility")
def put_visibility(client_id: UUID) -> Answer:
    """Hide the client from accountants, or show it again (admins only).
    ---
    put:
      tags: [client settings]
      summary: Hide or show the client (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: VisibilitySchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer, body = current_viewer(), json_body(VisibilitySchema())
    services().app.change_visibility(viewer.firm_id, client_id, body["hidden"], viewer.actor)
    return answer_written(viewer, client_id)


@api.put("/clients/<uuid:client_id>/firm-contact")
def put_firm_contact(client_id: UUID) -> Answer:
    """The firm's contact person for the client (admins only).
    ---
    put:
      tags: [client settings]
      summary: Change the firm contact person (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: FirmContactSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(FirmContactSchema())
    with referenced(staff="staff_id"):
        services().app.change_firm_contact(viewer.firm_id, client_id, body["staff_id"],
                                           viewer.actor)
    return answer_written(viewer, client_id)
