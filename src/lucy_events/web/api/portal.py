"""The client portal's JSON API under ``/api/v1/portal``: the signed-in client user's
own company, its documents, uploading, and auto-send. The same rules as the portal's
pages (``web.portal.access``): a document of another company is 404.

A blueprint of its own inside ``api`` (so the OpenAPI document describes it and the
authorization matrix and schemathesis run over it), authenticated by the client user's
session cookie instead of a staff member's token or session: ``api``'s staff check
leaves these endpoints to the check here. A change carries the session's CSRF secret
in ``X-CSRF-Token``, as the dashboard's scripts do.
"""

from __future__ import annotations

import hmac
from typing import Any
from uuid import UUID

from flask import Blueprint, current_app, request, session, url_for

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.application import IncomingDocument
from lucy_events.intake.files import Destination
from lucy_events.projections import get_document_row, list_documents
from lucy_events.web.api.access import written
from lucy_events.web.api.blueprint import CSRF_HEADER, CSRF_SESSION_KEY
from lucy_events.web.api.content import attachment
from lucy_events.web.api.idempotent import answered_once, fingerprint
from lucy_events.web.api.inputs import form_fields, json_body, query_args
from lucy_events.web.api.recognition import detail
from lucy_events.web.api.schemas.documents import (
    DocumentListQuerySchema,
    DocumentSchema,
    UploadSchema,
)
from lucy_events.web.api.schemas.portal import PortalMeSchema
from lucy_events.web.api.schemas.settings import AutoSendSchema
from lucy_events.web.errors import error_body
from lucy_events.web.portal.access import own_company, own_document, services
from lucy_events.web.portal.auth import ClientViewer, current_client_user
from lucy_events.web.uploaded_files import uploaded_files

portal_api = Blueprint("portal", __name__, url_prefix="/portal")
_DOCUMENT = DocumentSchema()
_ME = PortalMeSchema()
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@portal_api.before_request
def _client_user_only() -> tuple[dict[str, Any], int] | None:
    current_client_user()
    if request.method in _SAFE_METHODS:
        return None
    expected = str(session.get(CSRF_SESSION_KEY) or "")
    if not expected or not hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), expected):
        return error_body("csrf_rejected",
                          f"a change made with a session needs its {CSRF_HEADER} header"), 403
    return None


def _me(who: ClientViewer) -> dict[str, Any]:
    company = own_company(who)
    linked = company.integration if company.integration and \
        company.integration.get("kind") != "none" else None
    package = PACKAGES.get(linked["package"]) if linked else None
    dumped: dict[str, Any] = _ME.dump({"user": who.user, "company": {
        "id": company.id, "name": company.name,
        "inbox_address": services().inbox_address(company),
        "allowed_senders": company.allowed_senders, "auto_send": company.auto_send,
        "integration": {"package": linked["package"], "ubl": bool(linked.get("ubl")),
                        "name": package.name if package else linked["package"]}
        if linked else None}})
    return dumped


@portal_api.get("/me")
def portal_me() -> dict[str, Any]:
    """The signed-in client user and their company: inbox address, allowed senders,
    auto-send, and the accountant's package (read-only).
    ---
    get:
      tags: [portal]
      summary: Who I am and my company
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: PortalMeSchema
        401: Unauthorized
    """
    return _me(current_client_user())


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
    page = list_documents(services().read_db, firm_id=who.firm_id, client_id=who.client_id,
                          status=query.get("status"), page=query["page"],
                          page_size=query["page_size"])
    return {"items": _DOCUMENT.dump(page.rows, many=True), "total": page.total,
            "page": page.page, "page_size": page.page_size}


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
        written()
        rows = [get_document_row(services().read_db, firm_id=who.firm_id, document_id=i)
                for i in ids]
        items = [_DOCUMENT.dump(row) if row else {"id": str(i)}
                 for i, row in zip(ids, rows, strict=True)]
        status = 201 if all(rows) else 202
        if len(ids) == 1:
            where = url_for("api.portal.portal_document", document_id=ids[0])
            return items[0], status, {"Location": where}
        return {"items": items}, status, {}

    return answered_once(who.client_id, fingerprint(files, fields), receive)


@portal_api.put("/auto-send")
def portal_auto_send() -> tuple[dict[str, Any], int]:
    """Turn auto-send of recognised documents on or off; the event records the client
    user as its actor.
    ---
    put:
      tags: [portal]
      summary: Choose auto-send for my company
      security: [{clientSession: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: AutoSendSchema
      responses:
        200:
          content:
            application/json:
              schema: PortalMeSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
    """
    who, body = current_client_user(), json_body(AutoSendSchema())
    services().app.change_auto_send(who.firm_id, who.client_id, body["auto_send"], who.actor)
    written()
    return _me(who), 200
