"""/clients/{id}/history: the audit trail of a client and its documents, from the event
store: when, who, what, as of any moment; and its export over a period."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response

from lucy_events.application import HistoryEntry
from lucy_events.audit.export import MEDIA_TYPES, export, heading
from lucy_events.audit.records import as_of_record, entry_record
from lucy_events.audit.verify import head_of
from lucy_events.projections import client_document_ids
from lucy_events.projections.invoice_queries import client_invoice_ids
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import query_args
from lucy_events.web.api.schemas.history import (
    HistoryEntrySchema,
    HistoryExportQuerySchema,
    HistoryQuerySchema,
)
from lucy_events.web.auth import current_viewer

_ENTRY = HistoryEntrySchema()


def _entry(entry: HistoryEntry) -> dict[str, Any]:
    record = entry_record(entry)
    return {**record, "when": entry.at, "what": record["event"]}


def _document_ids(firm_id: UUID, client_id: UUID) -> list[UUID]:
    return list(client_document_ids(services().read_db, firm_id=firm_id, client_id=client_id))


@api.get("/clients/<uuid:client_id>/history")
def client_history(client_id: UUID) -> dict[str, Any]:
    """What happened to the client and its documents, oldest first; with ``as_of``, also
    the client and its documents as they stood then.
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
    documents = _document_ids(viewer.firm_id, client_id)
    entries = app.client_history(viewer.firm_id, client_id, as_of=query.get("as_of"),
                                 by=viewer.actor, document_ids=documents,
                                 invoice_ids=client_invoice_ids(services().read_db,
                                                                viewer.firm_id, client_id))
    page, size = query["page"], query["page_size"]
    shown = entries[(page - 1) * size:page * size]
    reply = {"items": [_ENTRY.dump(_entry(e)) for e in shown], "total": len(entries),
             "page": page, "page_size": size}
    if query.get("as_of") is not None:
        reply["as_of"] = as_of_record(app.client_as_of(
            viewer.firm_id, client_id, query["as_of"], viewer.actor, documents))
    return reply


@api.get("/clients/<uuid:client_id>/history/export")
def export_history(client_id: UUID) -> Response:
    """The client's history over a period as CSV, JSON or a printable HTML page, stating
    the hash-chain head it was taken at.
    ---
    get:
      tags: [history]
      summary: Export a client's audit trail
      parameters:
      - in: query
        schema: HistoryExportQuerySchema
      responses:
        200:
          description: the export (text/csv, application/json or text/html)
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    query = query_args(HistoryExportQuerySchema())
    return export_response(viewer.firm_id, client_id, viewer.actor, query)


def export_response(firm_id: UUID, client_id: UUID, by: Any, query: dict[str, Any]
                    ) -> Response:
    """Shared with the dashboard's export links."""
    app = services().app
    head = head_of(app.recorder)  # before reading: the export holds no later event
    entries = app.client_history(firm_id, client_id, as_of=query.get("until"), by=by,
                                 document_ids=_document_ids(firm_id, client_id),
                                 since=query.get("since"),
                                 invoice_ids=client_invoice_ids(services().read_db,
                                                                firm_id, client_id))
    client = app.client(firm_id, client_id, by)
    top = heading(client_id, client.name, query.get("since"), query.get("until"), head)
    fmt = query["format"]
    return Response(export(fmt, top, entries), mimetype=None, headers={
        "Content-Type": MEDIA_TYPES[fmt],
        "Content-Disposition": ("inline" if fmt == "html" else "attachment")
        + f'; filename="history-{client_id}.{fmt}"',
    })
