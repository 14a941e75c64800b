"""A client's documents (the list) and one document: its type, archive, delete.
Uploading is in ``uploads``, its content in ``content``, sending in ``sending``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.projections import get_document_row, list_documents
from lucy_events.web.api.access import services, visible_client, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body, query_args
from lucy_events.web.api.recognition import document_detail
from lucy_events.web.api.schemas.documents import (
    DocumentListQuerySchema,
    DocumentSchema,
    DocumentTypeSchema,
)
from lucy_events.web.auth import Viewer, current_viewer

_DOCUMENT = DocumentSchema()


def answer_document(viewer: Viewer, document_id: UUID, status: int = 200) -> tuple[Any, int]:
    """After a change: the document as it now reads, or 202 with its id while the read
    models catch up (on Kafka)."""
    written()
    row = get_document_row(services().read_db, firm_id=viewer.firm_id, document_id=document_id)
    return (_DOCUMENT.dump(row), status) if row else ({"id": str(document_id)}, 202)


@api.get("/clients/<uuid:client_id>/documents")
def list_client_documents(client_id: UUID) -> dict[str, Any]:
    """The client's documents, newest first.
    ---
    get:
      tags: [documents]
      summary: List a client's documents
      parameters:
      - in: query
        schema: DocumentListQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: DocumentPageSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    query = query_args(DocumentListQuerySchema())
    visible_client(viewer, client_id)
    return document_page(viewer.firm_id, client_id, query)


def document_page(firm_id: UUID, client_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """One page of a client's documents, newest first (the staff's and the portal's)."""
    page = list_documents(services().read_db, firm_id=firm_id, client_id=client_id,
                          status=query.get("status"), page=query["page"],
                          page_size=query["page_size"])
    return {"items": _DOCUMENT.dump(page.rows, many=True), "total": page.total,
            "page": page.page, "page_size": page.page_size}


@api.get("/documents/<uuid:document_id>")
def get_document(document_id: UUID) -> dict[str, Any]:
    """One document, with the fields recognition read (and people corrected).
    ---
    get:
      tags: [documents]
      summary: Get a document
      responses:
        200:
          content:
            application/json:
              schema: DocumentDetailSchema
        401: Unauthorized
        404: NotFound
    """
    return document_detail(current_viewer(), document_id)


@api.put("/documents/<uuid:document_id>/type")
def put_document_type(document_id: UUID) -> tuple[Any, int]:
    """Give the document its type (needed before an unrecognised one can be sent).
    ---
    put:
      tags: [documents]
      summary: Set the document type
      requestBody:
        required: true
        content:
          application/json:
            schema: DocumentTypeSchema
      responses:
        200: Document
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer, body = current_viewer(), json_body(DocumentTypeSchema())
    services().app.assign_document_type(viewer.firm_id, document_id, body["document_type"],
                                        viewer.actor)
    return answer_document(viewer, document_id)


@api.post("/documents/<uuid:document_id>/archive")
def archive_document(document_id: UUID) -> tuple[Any, int]:
    """Archive a Sent document.
    ---
    post:
      tags: [documents]
      summary: Archive a sent document
      responses:
        200: Document
        202: Accepted
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    services().app.archive_document(viewer.firm_id, document_id, viewer.actor)
    return answer_document(viewer, document_id)


@api.delete("/documents/<uuid:document_id>")
def delete_document(document_id: UUID) -> tuple[str, int]:
    """Delete a document that was not sent (a sent one is part of the books: 409).
    ---
    delete:
      tags: [documents]
      summary: Delete a document
      responses:
        204:
          description: deleted
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    services().app.delete_document(viewer.firm_id, document_id, viewer.actor)
    written()
    return "", 204
