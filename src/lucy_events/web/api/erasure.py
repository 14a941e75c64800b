"""/erasures (admins): erase a person's personal data at their request (GDPR art. 17);
the trail and the hash chain stay whole (``audit/erasure.py``)."""

from __future__ import annotations

from typing import Any

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.audit.erasure import person_to_erase
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.erasure import (  # noqa: F401  (named in the docstring)
    ErasedSchema,
    ErasureSchema,
)
from lucy_events.web.auth import current_viewer


@api.post("/erasures")
def post_erasure() -> tuple[dict[str, Any], int]:
    """Erase one person's personal data: PersonErased is recorded on the firm, the key
    their fields were sealed with is destroyed (they read "erased person" everywhere from
    then on) and the read models are rebuilt, before the answer.
    ---
    post:
      tags: [audit]
      summary: Erase a person's personal data (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: ErasureSchema
      responses:
        201:
          content:
            application/json:
              schema: ErasedSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer = current_viewer()
    if not viewer.is_admin:
        raise PermissionDenied("only an admin may erase a person's data")
    body = json_body(ErasureSchema())
    found = services()
    identified_by, identity = person_to_erase(
        found.app, viewer.firm_id, email=body.get("email"), staff_id=body.get("staff_id"),
        client_id=body.get("client_id"))
    done = found.erase_person(viewer.firm_id, identified_by, identity, body["reason"],
                              viewer.actor)
    return {"person_id": str(done.person_id), "identified_by": done.identified_by,
            "key_destroyed": done.key_destroyed, "rebuilt": done.rebuilt}, 201
