"""/documents/{id}/content: the bytes of a document, as received.

The blob store checks them against their sha256 on the way out; a mismatch is logged and
answered as a 500, never served. Always an attachment, never sniffed: a received file
must not run as a page of this site.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from uuid import UUID

import structlog
from flask import Response, send_file

from lucy_events.blobs.base import BlobError
from lucy_events.web.api.access import services, visible_document
from lucy_events.web.api.blueprint import api
from lucy_events.web.auth import current_viewer
from lucy_events.web.errors import error_body

log = structlog.get_logger()


@api.get("/documents/<uuid:document_id>/content")
def document_content(document_id: UUID) -> Response | tuple[Any, int]:
    """The document's bytes, as received (checked against their sha256 on the way out).
    ---
    get:
      tags: [documents]
      summary: Download the document
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
    viewer = current_viewer()
    row = visible_document(viewer, document_id)
    return attachment(row.file_name, row.media_type, lambda: services().app.document_content(
        viewer.firm_id, document_id, viewer.actor), document_id)


def attachment(file_name: str, media_type: str, read: Callable[[], bytes],
               document_id: UUID) -> Response | tuple[Any, int]:
    """The bytes ``read`` gives, as a download that is never sniffed nor cached (the
    client portal's API serves its documents the same way)."""
    try:
        content = read()
    except BlobError as error:
        log.error("document content unavailable", document_id=str(document_id),
                  error=str(error))
        return error_body("content_unavailable",
                          "the document's content cannot be read; it was logged"), 500
    response = send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True,
                         download_name=file_name, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
