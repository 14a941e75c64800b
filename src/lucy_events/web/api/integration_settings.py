"""/clients/{id}/integration/settings: change the linked package's client settings
without unlinking it, validated as when linking (Exact's division must be a number)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import answer_written
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.packages import IntegrationSettingsSchema
from lucy_events.web.auth import current_viewer


@api.put("/clients/<uuid:client_id>/integration/settings")
def put_integration_settings(client_id: UUID) -> tuple[Any, int]:
    """Change the linked package's settings for this client (no unlinking).
    ---
    put:
      tags: [client settings]
      summary: Change the integration's client settings
      requestBody:
        required: true
        content:
          application/json:
            schema: IntegrationSettingsSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(IntegrationSettingsSchema())
    services().app.change_integration_settings(viewer.firm_id, client_id, body["settings"],
                                               body["ubl"], viewer.actor)
    return answer_written(viewer, client_id)
