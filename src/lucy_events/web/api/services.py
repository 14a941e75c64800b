"""/services and /clients/{id}/services/{service_id} (Visma Advisor's services with
participants): the firm defines its services; an admin gives a client a service with an
owner and participants, who then have the client under My clients."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import answer_written
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.staff import (  # noqa: F401  (named in the docstrings)
    ClientServiceSchema,
    FirmServiceListSchema,
    FirmServiceSchema,
    ServiceNameSchema,
)
from lucy_events.web.api.staff import admin
from lucy_events.web.auth import current_viewer


@api.get("/services")
def list_services() -> dict[str, Any]:
    """The services the firm offers.
    ---
    get:
      tags: [services]
      summary: List the firm's services
      responses:
        200:
          content:
            application/json:
              schema: FirmServiceListSchema
        401: Unauthorized
    """
    firm = services().app.firm(current_viewer().firm_id)
    return {"services": [{"id": str(i), "name": n} for i, n in sorted(
        firm.services.items(), key=lambda s: s[1].casefold())]}


@api.post("/services")
def define_service() -> tuple[dict[str, Any], int]:
    """Define a service the firm offers (admins).
    ---
    post:
      tags: [services]
      summary: Define a service (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: ServiceNameSchema
      responses:
        201:
          content:
            application/json:
              schema: FirmServiceSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(ServiceNameSchema())
    service_id = services().app.define_service(viewer.firm_id, body["name"], viewer.actor)
    return {"id": str(service_id), "name": body["name"].strip()}, 201


@api.put("/clients/<uuid:client_id>/services/<uuid:service_id>")
def put_client_service(client_id: UUID, service_id: UUID) -> tuple[Any, int]:
    """Give the client the service with its owner and participants (admins).
    ---
    put:
      tags: [services]
      summary: Assign a service to the client (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: ClientServiceSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(ClientServiceSchema())
    services().app.assign_service(viewer.firm_id, client_id, service_id, body["owner_id"],
                                  body["participant_ids"], viewer.actor)
    return answer_written(viewer, client_id)


@api.delete("/clients/<uuid:client_id>/services/<uuid:service_id>")
def delete_client_service(client_id: UUID, service_id: UUID) -> tuple[Any, int]:
    """End the client's service (admins).
    ---
    delete:
      tags: [services]
      summary: End a client's service (admins)
      x-roles: [admin]
      responses:
        200: Client
        202: Accepted
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: Unprocessable
    """
    viewer = current_viewer()
    services().app.end_service(viewer.firm_id, client_id, service_id, viewer.actor)
    return answer_written(viewer, client_id)
