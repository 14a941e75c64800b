"""The client portal's API for the company's documents: the list, one document and its
content, and uploading (the staff upload's checks; Idempotency-Key kept per company).
A document of another company is 404 (``web.portal.access``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, url_for

from lucy_events.application import IncomingDocument
from lucy_events.intake.files import Destination
from lucy_events.projections import get_document_row
from lucy_events.web.api.content import attachment
from lucy_events.web.api.documents import document_page
from lucy_events.web.api.idempotent import answered_once, fingerprint
from lucy_events.web.api.inputs import form_fields, query_args
from lucy_events.web.api.portal import portal_api
from lucy_events.web.api.recognition import detail
from lucy_events.web.api.schemas.documents import (
    DocumentListQuerySchema,
    UploadSchema,
)
from lucy_events.web.api.uploads import received
from lucy_events.web.portal.access import own_document, services
from lucy_events.web.portal.auth import current_client_user
from lucy_events.web.uploaded_files import uploaded_files


@portal_api.get("/documents")
def portal_documents() -> dict[str, Any]:
    """The company's documents, newest first (``status`` filters).
    ---
    get:
      tags: [portal]
      summary: List my company's documents
      security: [{clientSession: []}]
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
    """
    who, query = current_client_user(), query_args(DocumentListQuerySchema())
    return document_page(who.firm_id, who.client_id, query)


@portal_api.get("/documents/<uuid:document_id>")
def portal_document(document_id: UUID) -> dict[str, Any]:
    """One of the company's documents, with the fields recognition read.
    ---
    get:
      tags: [portal]
      summary: Get one of my company's documents
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: DocumentDetailSchema
        401: Unauthorized
        404: NotFound
    """
    who = current_client_user()
    document = own_document(who, document_id)
    row = get_document_row(services().read_db, firm_id=who.firm_id, document_id=document_id)
    if row is None:  # recorded, not yet in the read model
        return {"id": str(document_id)}
    return {**detail(row, document), "peppol_validation": None}


@portal_api.get("/documents/<uuid:document_id>/content")
def portal_document_content(document_id: UUID) -> Any:
    """The document's bytes, as received.
    ---
    get:
      tags: [portal]
      summary: Download one of my company's documents
      security: [{clientSession: []}]
      responses:
        200:
          description: the file, with its own media type (PDF, an image, XML...) and a
            Content-Disposition
          content:
            "*/*":
              schema:
                type: string
                format: binary
        401: Unauthorized
        404: NotFound
    """
    who = current_client_user()
    document = own_document(who, document_id)
    return attachment(document.file_name, document.media_type, lambda: services().app
                      .document_content(who.firm_id, document_id, who.actor), document_id)


@portal_api.post("/documents")
def portal_upload() -> tuple[Any, int, dict[str, str]]:
    """Upload one or more documents into the company's Inbox (channel ``upload``), as
    the staff upload does: each file's media type is told from its content, one refused
    file refuses them all (422 naming ``file`` or ``file[i]``), 413 past the limit. One
    file answers the document, several ``{"items": [...]}``. With an ``Idempotency-Key``
    header (kept per company), the same request again answers the first answer.
    ---
    post:
      tags: [portal]
      summary: Upload documents to my company's Inbox
      security: [{clientSession: []}]
      parameters:
      - in: header
        name: Idempotency-Key
        required: false
        schema:
          type: string
          minLength: 1
          maxLength: 255
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: UploadSchema
      responses:
        201:
          content:
            application/json:
              schema: DocumentSchema
        202: Accepted
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        413: TooLarge
        422: Unprocessable
    """
    who = current_client_user()
    files = uploaded_files(current_app.config, Destination.DOCUMENTS)
    fields = form_fields(UploadSchema(partial=("file",)))

    def receive() -> tuple[Any, int, dict[str, str]]:
        ids = services().app.receive_documents([
            IncomingDocument(who.firm_id, who.client_id, file.content, file.file_name,
                             file.media_type, "upload", document_type=fields.get("document_type"))
            for file in files], who.actor)
        items, status = received(who.firm_id, ids)
        if len(ids) == 1:
            where = url_for("api.portal.portal_document", document_id=ids[0])
            return items[0], status, {"Location": where}
        return {"items": items}, status, {}

    return answered_once(who.client_id, fingerprint(files, fields), receive)
