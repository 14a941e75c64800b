"""/clients/{id}/vault: the client's shared files (tax returns, reports), listed,
uploaded, downloaded and deleted. Never sent to the accounting package."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from flask import Response, current_app, send_file

from lucy_events.intake.files import Destination
from lucy_events.projections.vault_queries import list_vault_files
from lucy_events.web.api import uploads  # noqa: F401  (its 413 answer)
from lucy_events.web.api.access import services, visible_client, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.idempotent import answered_once, fingerprint
from lucy_events.web.api.inputs import form_fields
from lucy_events.web.api.schemas.vault import VaultFileSchema, VaultUploadSchema
from lucy_events.web.auth import current_viewer
from lucy_events.web.uploaded_files import uploaded_files

_FILE = VaultFileSchema()


@api.get("/clients/<uuid:client_id>/vault")
def list_vault(client_id: UUID) -> dict[str, Any]:
    """The files in the client's vault, newest first.
    ---
    get:
      tags: [vault]
      summary: List the client's vault
      responses:
        200:
          content:
            application/json:
              schema: VaultListSchema
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    visible_client(viewer, client_id)
    rows = list_vault_files(services().read_db, firm_id=viewer.firm_id, client_id=client_id)
    return {"items": _FILE.dump(rows, many=True), "total": len(rows)}


@api.post("/clients/<uuid:client_id>/vault")
def upload_to_vault(client_id: UUID) -> tuple[Any, int, dict[str, str]]:
    """Share one or more files in the client's vault. Each file's media type is told
    from its content: PDF, PNG, JPEG, TIFF, UBL XML, XLSX, DOCX, or UTF-8 text (CSV when
    the name ends in .csv). One refused file refuses them all (422 naming ``file`` or
    ``file[i]``). ``Idempotency-Key`` works as for documents.
    ---
    post:
      tags: [vault]
      summary: Upload files to the vault (multipart; together at most LUCY_MAX_UPLOAD_BYTES)
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
            schema: VaultUploadSchema
      responses:
        201:
          content:
            application/json:
              schema: VaultListSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        413: TooLarge
        422: Unprocessable
    """
    viewer = current_viewer()
    app = services().app
    app.client(viewer.firm_id, client_id, viewer.actor)  # 404 before reading the body
    files = uploaded_files(current_app.config, Destination.VAULT)
    fields = form_fields(VaultUploadSchema(partial=("file",)))

    def add() -> tuple[Any, int, dict[str, str]]:
        added = app.add_vault_files(viewer.firm_id, client_id, files, viewer.actor)
        written()
        rows = {r.file_id: r for r in list_vault_files(
            services().read_db, firm_id=viewer.firm_id, client_id=client_id)}
        items = [_FILE.dump(rows[f.file_id]) if f.file_id in rows else {"id": str(f.file_id)}
                 for f in added]
        status = 201 if all(f.file_id in rows for f in added) else 202
        return {"items": items, "total": len(items)}, status, {}

    return answered_once(viewer, fingerprint(files, fields), add)


@api.get("/clients/<uuid:client_id>/vault/<uuid:file_id>")
def download_vault_file(client_id: UUID, file_id: UUID) -> Response:
    """The file's bytes, as shared (always an attachment, never sniffed).
    ---
    get:
      tags: [vault]
      summary: Download a vault file
      responses:
        200:
          description: the file, with its media type and a Content-Disposition
          content:
            application/octet-stream:
              schema:
                type: string
                format: binary
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    shared, content = services().app.vault_file(viewer.firm_id, client_id, file_id,
                                                viewer.actor)
    response = send_file(io.BytesIO(content), mimetype=shared.media_type, as_attachment=True,
                         download_name=shared.file_name, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@api.delete("/clients/<uuid:client_id>/vault/<uuid:file_id>")
def delete_vault_file(client_id: UUID, file_id: UUID) -> tuple[str, int]:
    """Delete a file from the vault (its history stays).
    ---
    delete:
      tags: [vault]
      summary: Delete a vault file
      responses:
        204:
          description: deleted
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    services().app.delete_vault_file(viewer.firm_id, client_id, file_id, viewer.actor)
    written()
    return "", 204
