"""Uploading documents into a client's inbox (several at once, Idempotency-Key), and
how the API answers a file that is too large: 413, naming the field and the limit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, url_for

from lucy_events.application import IncomingDocument
from lucy_events.intake.files import Destination, FileTooLarge
from lucy_events.projections import get_document_row
from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.documents import answer_document
from lucy_events.web.api.idempotent import answered_once, fingerprint
from lucy_events.web.api.inputs import form_fields
from lucy_events.web.api.schemas.documents import DocumentSchema, UploadSchema
from lucy_events.web.auth import current_viewer
from lucy_events.web.errors import error_body
from lucy_events.web.uploaded_files import uploaded_files

_DOCUMENT = DocumentSchema()


def received(firm_id: UUID, ids: list[UUID]) -> tuple[list[dict[str, Any]], int]:
    """The uploaded documents as the read model has them once written (the staff's and
    the client portal's upload): 201, or 202 while a row is not there yet (its id only)."""
    written()
    rows = [get_document_row(services().read_db, firm_id=firm_id, document_id=i) for i in ids]
    items = [_DOCUMENT.dump(row) if row else {"id": str(i)}
             for i, row in zip(ids, rows, strict=True)]
    return items, 201 if all(rows) else 202


@api.errorhandler(FileTooLarge)
def _too_large(error: FileTooLarge) -> tuple[dict[str, Any], int]:
    return error_body("file_too_large", str(error), {error.field: error.message}), 413


@api.post("/clients/<uuid:client_id>/documents")
def upload_document(client_id: UUID) -> tuple[Any, int, dict[str, str]]:
    """Upload one or more documents into the client's inbox (channel ``api``). Each
    file's media type is told from its content (PDF, PNG, JPEG, TIFF, UBL Invoice or
    CreditNote XML); an empty file, a name with a path or a NUL byte, or another kind of
    file refuses the whole request (422 naming ``file`` or ``file[i]``), so either every
    file becomes a document or none does. One file answers the document, several answer
    ``{"items": [...]}``. With an ``Idempotency-Key`` header, the same request sent again
    answers the first answer (header ``Idempotent-Replayed: true``) and adds nothing;
    the same key with another request is a 422.
    ---
    post:
      tags: [documents]
      summary: Upload documents (multipart; together at most LUCY_MAX_UPLOAD_BYTES)
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
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        413: TooLarge
        422: Unprocessable
    """
    viewer = current_viewer()
    app = services().app
    app.client(viewer.firm_id, client_id, viewer.actor)  # 404 before reading a large body
    files = uploaded_files(current_app.config, Destination.DOCUMENTS)
    fields = form_fields(UploadSchema(partial=("file",)))

    def receive() -> tuple[Any, int, dict[str, str]]:
        ids = app.receive_documents([
            IncomingDocument(viewer.firm_id, client_id, file.content, file.file_name,
                             file.media_type, "api", document_type=fields.get("document_type"))
            for file in files], viewer.actor)
        if len(ids) == 1:
            body, status = answer_document(viewer, ids[0], 201)
            return body, status, {"Location": url_for("api.get_document", document_id=ids[0])}
        items, status = received(viewer.firm_id, ids)
        return {"items": items}, status, {}

    return answered_once(viewer, fingerprint(files, fields), receive)
