"""Asking to send documents to the client's accounting package: one, or many at once.

The router delivers asynchronously, so a request answers 202 with the document Sending;
its outcome (Sent, Failed, Rejected) shows on the document later.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.errors import (
    ConcurrencyConflict,
    DomainError,
    InvalidValue,
    NotFound,
    PermissionDenied,
)
from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.documents import answer_document
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.documents import BulkSendSchema
from lucy_events.web.auth import current_viewer

_GENERAL_CODES: tuple[tuple[type[DomainError], str], ...] = (
    (InvalidValue, "invalid"), (NotFound, "not_found"), (PermissionDenied, "forbidden"),
    (ConcurrencyConflict, "conflict"),
)


def error_code(error: DomainError) -> str:
    """The code the API answers for ``error`` (as ``web.errors`` does for a whole request):
    a general one for the general kinds, else the rule's own name (``already_sent``)."""
    for kind, code in _GENERAL_CODES:
        if isinstance(error, kind):
            return code
    name = type(error).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


@api.post("/documents/<uuid:document_id>/send")
def send_document(document_id: UUID) -> tuple[Any, int]:
    """Ask to send the document (Inbox or Failed, with a type) to the accounting package.
    A Sent document is never sent again (409 already_sent).
    ---
    post:
      tags: [sending]
      summary: Send a document
      responses:
        202: Document
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    services().app.request_send(viewer.firm_id, document_id, viewer.actor)
    body, _ = answer_document(viewer, document_id)
    return body, 202


@api.post("/documents/send")
def send_documents() -> dict[str, Any]:
    """Ask to send many documents; those that may be sent are (in one transaction), the
    others say why not.
    ---
    post:
      tags: [sending]
      summary: Send documents in bulk
      requestBody:
        required: true
        content:
          application/json:
            schema: BulkSendSchema
      responses:
        200:
          content:
            application/json:
              schema: BulkSendResultSchema
        400: BadRequest
        401: Unauthorized
    """
    viewer, body = current_viewer(), json_body(BulkSendSchema())
    outcomes = services().app.request_bulk_send(viewer.firm_id, body["document_ids"],
                                                viewer.actor)
    written()
    results = [
        {"document_id": str(document_id), "outcome": "requested", "error": None}
        if error is None else
        {"document_id": str(document_id), "outcome": "refused",
         "error": {"code": error_code(error), "message": str(error), "fields": {}}}
        for document_id, error in outcomes.items()
    ]
    requested = sum(1 for r in results if r["outcome"] == "requested")
    return {"results": results, "requested": requested, "refused": len(results) - requested}
