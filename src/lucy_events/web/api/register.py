"""/register/search: the Belgian company register (KBO/BCE), for creating clients."""

from __future__ import annotations

from typing import Any

from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import query_args
from lucy_events.web.api.schemas.register import RegisterEntrySchema, RegisterSearchQuerySchema

_ENTRY = RegisterEntrySchema()


@api.get("/register/search")
def register_search() -> dict[str, Any]:
    """Companies whose name, enterprise number or VAT number matches, best first.
    ---
    get:
      tags: [register]
      summary: Search the company register
      parameters:
      - in: query
        schema: RegisterSearchQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: RegisterResultsSchema
        400: BadRequest
        401: Unauthorized
    """
    query = query_args(RegisterSearchQuerySchema())
    found = services().company_register().search(
        query["q"], language=query["language"], limit=query["limit"])
    return {"items": [_ENTRY.dump(entry.as_dict()) for entry in found]}
