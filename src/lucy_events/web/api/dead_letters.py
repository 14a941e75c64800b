"""/dead-letters: the firm's parked messages, for admins: look, replay, discard.

Only messages that carry the firm's id are shown (undecodable ones carry none: ops see
them with ``lucy-events dead-letters``). A replay goes through the consumer that parked
the message, with its tracking, so replaying twice has one effect.
"""

from __future__ import annotations

from typing import Any

import structlog

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.bus.dead_letters import DeadLetter
from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import query_args
from lucy_events.web.api.schemas.dead_letters import (
    DeadLetterQuerySchema,
    DeadLetterSchema,
    ReplayedSchema,
)
from lucy_events.web.auth import Viewer, current_viewer

log = structlog.get_logger()
_LETTER = DeadLetterSchema()


def _admin() -> Viewer:
    viewer = current_viewer()
    if not viewer.is_admin:
        raise PermissionDenied("only an admin may see and replay parked messages")
    return viewer


def _letter(viewer: Viewer, letter_id: str) -> DeadLetter:
    return services().dead_letter_store().get(letter_id, firm_id=str(viewer.firm_id))


@api.get("/dead-letters")
def list_dead_letters() -> dict[str, Any]:
    """The firm's parked messages, oldest first, with the reason each was parked.
    ---
    get:
      tags: [dead-letters]
      summary: List parked messages (admins)
      x-roles: [admin]
      parameters:
      - in: query
        schema: DeadLetterQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: DeadLetterPageSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
    """
    viewer = _admin()
    query = query_args(DeadLetterQuerySchema())
    letters = services().dead_letter_store().list(
        firm_id=str(viewer.firm_id), consumer=query.get("consumer"), limit=10**6)
    page, size = query["page"], query["page_size"]
    return {"items": _LETTER.dump(letters[(page - 1) * size:page * size], many=True),
            "total": len(letters), "page": page, "page_size": size}


@api.get("/dead-letters/<letter_id>")
def show_dead_letter(letter_id: str) -> dict[str, Any]:
    """One parked message (without its bytes).
    ---
    get:
      tags: [dead-letters]
      summary: Show a parked message (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: DeadLetterSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    letter: dict[str, Any] = _LETTER.dump(_letter(_admin(), letter_id))
    return letter


@api.post("/dead-letters/<letter_id>/replay")
def replay_dead_letter(letter_id: str) -> dict[str, Any]:
    """Hand the message to the consumer that parked it again; one still refused stays
    parked with the newest reason.
    ---
    post:
      tags: [dead-letters]
      summary: Replay a parked message (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: ReplayedSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = _admin()
    letter = _letter(viewer, letter_id)
    result = services().dead_letter_replay().replay(letter)
    log.info("parked message replayed by an admin", letter=letter.id,
             staff_id=str(viewer.staff_id), outcome=result.outcome)
    written()
    replayed: dict[str, Any] = ReplayedSchema().dump(result)
    return replayed


@api.post("/dead-letters/<letter_id>/discard")
def discard_dead_letter(letter_id: str) -> tuple[str, int]:
    """Drop a parked message for good; nothing is replayed.
    ---
    post:
      tags: [dead-letters]
      summary: Discard a parked message (admins)
      x-roles: [admin]
      responses:
        204:
          description: discarded
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = _admin()
    letter = _letter(viewer, letter_id)
    services().dead_letter_store().discard(letter)
    log.info("parked message discarded", letter=letter.id, staff_id=str(viewer.staff_id),
             event_id=letter.event_id)
    return "", 204
