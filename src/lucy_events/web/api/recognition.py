"""What was read from a document: its fields (GET /documents/{id} shows them),
correcting them, and deciding a possible duplicate is not one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from lucy_events.aggregates.document import Document
from lucy_events.projections import DocumentRow
from lucy_events.projections.peppol_validations import peppol_validation
from lucy_events.web.api.access import services, visible_document, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.documents import DocumentDetailSchema, FieldsCorrectionSchema
from lucy_events.web.auth import Viewer, current_viewer

_DETAIL = DocumentDetailSchema()


def detail(row: DocumentRow, document: Document) -> dict[str, Any]:
    """The read model's row with the document's fields from the event store."""
    recognition = None
    if document.recognition is not None:
        recognition = {**document.recognition, "recognised": document.recognised}
    dumped: dict[str, Any] = _DETAIL.dump({
        **asdict(row), "possible_duplicate": row.possible_duplicate,
        "fields": document.fields, "corrected_by": document.corrected_by,
        "vat_breakdown": document.vat_breakdown, "recognition": recognition,
        "duplicates": [{"document_id": other, "ground": s["ground"], "held": s["newer"]}
                       for other, s in document.duplicates.items()],
    })
    return dumped


def document_detail(viewer: Viewer, document_id: UUID) -> dict[str, Any]:
    row = visible_document(viewer, document_id)
    dumped = detail(row, services().app.document(viewer.firm_id, document_id, viewer.actor))
    dumped["peppol_validation"] = (
        peppol_validation(services().read_db, viewer.firm_id, document_id)
        if row.channel == "peppol" else None)
    return dumped


def _answer(viewer: Viewer, document_id: UUID) -> tuple[dict[str, Any], int]:
    written()
    return document_detail(viewer, document_id), 200


@api.patch("/documents/<uuid:document_id>/fields")
def correct_fields(document_id: UUID) -> tuple[dict[str, Any], int]:
    """Correct what recognition read (and/or the type); a correction wins over the
    machine's values, also when the document is read again. An empty or null value
    clears a field; a bad value is a 422 naming the field.
    ---
    patch:
      tags: [documents]
      summary: Correct a document's fields or type
      requestBody:
        required: true
        content:
          application/json:
            schema: FieldsCorrectionSchema
      responses:
        200:
          content:
            application/json:
              schema: DocumentDetailSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(FieldsCorrectionSchema())
    services().app.correct_document_fields(viewer.firm_id, document_id, body["fields"],
                                           body.get("document_type"), viewer.actor)
    return _answer(viewer, document_id)


@api.post("/documents/<uuid:document_id>/not-duplicate")
def not_duplicate(document_id: UUID) -> tuple[dict[str, Any], int]:
    """The document is not a duplicate of the one(s) it was suspected of duplicating:
    both sides are cleared, and the held one may be sent (auto-send sends it).
    ---
    post:
      tags: [documents]
      summary: Dismiss a duplicate suspicion
      responses:
        200:
          content:
            application/json:
              schema: DocumentDetailSchema
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    services().app.dismiss_duplicates(viewer.firm_id, document_id, viewer.actor)
    return _answer(viewer, document_id)
