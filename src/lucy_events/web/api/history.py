"""/clients/{id}/history: the audit trail of a client and its documents, from the event
store: when, who, what, as of any moment."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from lucy_events.application import HistoryEntry
from lucy_events.history_text import who
from lucy_events.projections import client_document_ids
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import query_args
from lucy_events.web.api.schemas.history import HistoryEntrySchema, HistoryQuerySchema
from lucy_events.web.auth import current_viewer

#: Event fields that are nobody's business, not even an auditor's.
_HIDDEN_DETAILS = frozenset({"token_hash"})
_ENTRY = HistoryEntrySchema()


def _plain(value: Any) -> Any:
    """An event value as JSON: ids and enums as text, moments in ISO 8601."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Enum):
        return str(value.value if isinstance(value, Enum) else value)
    return value


def _entry(entry: HistoryEntry, names: dict[UUID, str]) -> dict[str, Any]:
    return {
        "when": entry.at, "who": who(entry.actor, names), "actor": entry.actor,
        "what": entry.event_type, "subject": entry.subject, "subject_id": entry.subject_id,
        "version": entry.version,
        "details": {k: _plain(v) for k, v in entry.details.items() if k not in _HIDDEN_DETAILS},
    }


@api.get("/clients/<uuid:client_id>/history")
def client_history(client_id: UUID) -> dict[str, Any]:
    """What happened to the client and its documents, oldest first.
    ---
    get:
      tags: [history]
      summary: A client's audit trail
      parameters:
      - in: query
        schema: HistoryQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: HistoryPageSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    query = query_args(HistoryQuerySchema())
    app = services().app
    entries = app.client_history(
        viewer.firm_id, client_id, as_of=query.get("as_of"), by=viewer.actor,
        document_ids=client_document_ids(services().read_db, firm_id=viewer.firm_id,
                                         client_id=client_id))
    firm = app.firm(viewer.firm_id)
    names = {**firm.staff_names, **firm.teams}
    page, size = query["page"], query["page_size"]
    shown = entries[(page - 1) * size:page * size]
    return {"items": [_ENTRY.dump(_entry(e, names)) for e in shown], "total": len(entries),
            "page": page, "page_size": size}
