"""/outbox: the e-mails of the local outbox (no SMTP relay configured), for admins; each
message as it would have gone over the wire (message/rfc822)."""

from __future__ import annotations

from typing import Any

from flask import Response

from lucy_events.aggregates.errors import NotFound, PermissionDenied
from lucy_events.notifications.outbox import Outbox
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.schemas.outbox import OutboxPageSchema  # noqa: F401  (named below)
from lucy_events.web.auth import current_viewer


class OutboxMessageNotFound(NotFound):
    """Raised when the outbox has no such message of the viewer's firm."""


def _outbox() -> tuple[Outbox | None, str]:
    viewer = current_viewer()
    if not viewer.is_admin:
        raise PermissionDenied("only an admin may read the outbox")
    return services().outbox(), str(viewer.firm_id)


@api.get("/outbox")
def list_outbox() -> dict[str, Any]:
    """The firm's e-mails in the local outbox, newest first.
    ---
    get:
      tags: [outbox]
      x-roles: [admin]
      summary: List the outbox (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: OutboxPageSchema
        401: Unauthorized
        403: Forbidden
    """
    box, firm_id = _outbox()
    return {"backend": services().mailer().kind, "messages": [
        {"id": e.entry_id, "message_id": e.message_id, "to": e.to, "subject": e.subject,
         "sent_at": e.sent_at.isoformat()} for e in (box.entries(firm_id) if box else [])]}


@api.get("/outbox/<entry_id>")
def outbox_message(entry_id: str) -> Response:
    """One message of the outbox, whole (headers, plain text and HTML bodies).
    ---
    get:
      tags: [outbox]
      x-roles: [admin]
      summary: Open an outbox message (admins)
      x-roles: [admin]
      responses:
        200:
          description: the message
          content:
            message/rfc822: {}
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    box, firm_id = _outbox()
    message = box.message(entry_id) if box else None
    if box is None or message is None or str(message["X-Lucy-Firm"]) != firm_id:
        raise OutboxMessageNotFound(f"no message {entry_id} in the outbox")
    return Response(box.raw(entry_id), mimetype="message/rfc822")
