"""/clients/{id}/quarantine: mail held out of a client's inbox (a sender not allowed,
or not authenticated), and an admin's release or discard of it. Admins only: an
accountant gets 403."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.schemas.quarantine import QuarantinedMailSchema
from lucy_events.web.auth import current_viewer

_MAIL = QuarantinedMailSchema()


@api.get("/clients/<uuid:client_id>/quarantine")
def list_quarantine(client_id: UUID) -> dict[str, Any]:
    """The client's quarantined mail, oldest first.
    ---
    get:
      tags: [quarantine]
      summary: List quarantined mail (admins)
      responses:
        200:
          content:
            application/json:
              schema: QuarantineListSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = current_viewer()
    mails = services().app.quarantined_mail(viewer.firm_id, client_id, viewer.actor)
    return {"items": _MAIL.dump(mails, many=True)}


@api.post("/clients/<uuid:client_id>/quarantine/<uuid:mail_id>/release")
def release_quarantined(client_id: UUID, mail_id: UUID) -> tuple[dict[str, Any], int]:
    """Let the mail in: each usable attachment becomes a document in the client's
    Inbox, recorded as the admin's.
    ---
    post:
      tags: [quarantine]
      summary: Release quarantined mail (admins)
      responses:
        200:
          content:
            application/json:
              schema: ReleasedSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = current_viewer()
    ids = services().app.release_quarantined_mail(viewer.firm_id, client_id, mail_id,
                                                  viewer.actor)
    written()
    return {"document_ids": [str(i) for i in ids]}, 200


@api.post("/clients/<uuid:client_id>/quarantine/<uuid:mail_id>/discard")
def discard_quarantined(client_id: UUID, mail_id: UUID) -> tuple[str, int]:
    """Throw the mail away (the event says who did, and when).
    ---
    post:
      tags: [quarantine]
      summary: Discard quarantined mail (admins)
      responses:
        204:
          description: discarded
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = current_viewer()
    services().app.discard_quarantined_mail(viewer.firm_id, client_id, mail_id, viewer.actor)
    return "", 204
