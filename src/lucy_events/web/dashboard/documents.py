"""The client's Accounting documents tab: the list with each document's status, sending
one (the arrow) or many (the checkboxes), resending the Failed ones, giving a document
its type, archiving, deleting, downloading."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from uuid import UUID

from flask import Response, flash, request, send_file

from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DOCUMENT_TYPES, DocumentNotFound, DocumentStatus
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.projections import get_document_row, list_documents
from lucy_events.projections.peppol_validations import peppol_validations
from lucy_events.web.api.schemas.common import MAX_PAGE
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, render_client, tab_context
from lucy_events.web.dashboard.pages import services, viewer

PAGE_SIZE = 50
LISTED = [s.value for s in DocumentStatus if s is not DocumentStatus.DELETED]
Result = Response | tuple[str, int]


@tab_context("documents")
def _context(view: ClientView) -> dict[str, Any]:
    who = viewer()
    wanted = request.args.get("status", "")
    try:
        number = min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        number = 1
    page = list_documents(services().read_db, firm_id=who.firm_id, client_id=view.id,
                          status=wanted if wanted in LISTED else None, page=number,
                          page_size=PAGE_SIZE)
    failed = view.row.failed_count if view.row else 0
    peppol = peppol_validations(services().read_db, who.firm_id,
                                [d.document_id for d in page.rows if d.channel == "peppol"])
    return {"documents": page, "peppol": peppol,
            "status_filter": wanted if wanted in LISTED else "",
            "statuses": LISTED, "document_types": DOCUMENT_TYPES, "failed_count": failed,
            "sendable": (DocumentStatus.INBOX.value, DocumentStatus.FAILED.value)}


@dashboard.get("/clients/<uuid:client_id>/documents")
def documents(client_id: UUID) -> tuple[str, int]:
    return render_client("documents", client_id)


def _document(client_id: UUID, document_id: UUID) -> Document:
    """The client's document, as the viewer may see it (404 otherwise)."""
    who = viewer()
    document = services().app.document(who.firm_id, document_id, who.actor)
    if document.client_id != client_id:
        raise DocumentNotFound(f"no document {document_id}")
    return document


def _on_documents(client_id: UUID, command: Any, message: Any,
                  rename: dict[str, str] | None = None) -> Result:
    return attempt("documents", client_id, "documents", command, message, rename=rename,
                   values=request.form)


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/send")
def send(client_id: UUID, document_id: UUID) -> Result:
    who, app = viewer(), services().app
    document = _document(client_id, document_id)
    return _on_documents(
        client_id, lambda: app.request_send(who.firm_id, document_id, who.actor),
        f"{document.file_name} is on its way to the accounting package.")


@dashboard.post("/clients/<uuid:client_id>/documents/send")
def send_selected(client_id: UUID) -> Result:
    return _send_many(client_id, request.form.getlist("document_id"))


@dashboard.post("/clients/<uuid:client_id>/documents/resend-failed")
def resend_failed(client_id: UUID) -> Result:
    who = viewer()
    failed = [str(row.document_id) for row in list_documents(
        services().read_db, firm_id=who.firm_id, client_id=client_id, status="Failed",
        page_size=500).rows]
    return _send_many(client_id, failed, none_left="no document failed to send")


def _send_many(client_id: UUID, chosen: list[str], none_left: str | None = None) -> Result:
    who, app = viewer(), services().app
    outcome: dict[UUID, Any] = {}

    def send_all() -> None:
        if not chosen:
            raise InvalidValue("document_id", none_left or "select the documents to send")
        try:
            ids = [UUID(value) for value in chosen]
        except ValueError:
            raise InvalidValue("document_id", "not a document of this client") from None
        for document_id in ids:
            _document(client_id, document_id)
        outcome.update(app.request_bulk_send(who.firm_id, ids, who.actor))

    def summary() -> str:
        refused = {i: e for i, e in outcome.items() if e is not None}
        for document_id, error in refused.items():
            row = get_document_row(services().read_db, firm_id=who.firm_id,
                                   document_id=document_id)
            flash(f"{row.file_name if row else document_id}: {error}", "warning")
        sent = len(outcome) - len(refused)
        return f"{sent} document{'s' if sent != 1 else ''} on the way to the accounting package."

    return _on_documents(client_id, send_all, summary)


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/type")
def assign_type(client_id: UUID, document_id: UUID) -> Result:
    who, app = viewer(), services().app
    document = _document(client_id, document_id)
    field = f"type-{document_id}"
    chosen = request.form.get(field, "")
    return _on_documents(
        client_id, lambda: app.assign_document_type(who.firm_id, document_id, chosen,
                                                    who.actor),
        f"{document.file_name} is a {chosen.replace('-', ' ')} now.",
        rename={"document_type": field})


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/archive")
def archive(client_id: UUID, document_id: UUID) -> Result:
    who, app = viewer(), services().app
    document = _document(client_id, document_id)
    return _on_documents(
        client_id, lambda: app.archive_document(who.firm_id, document_id, who.actor),
        f"{document.file_name} was archived.")


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/delete")
def delete(client_id: UUID, document_id: UUID) -> Result:
    who, app = viewer(), services().app
    document = _document(client_id, document_id)
    return _on_documents(
        client_id, lambda: app.delete_document(who.firm_id, document_id, who.actor),
        f"{document.file_name} was deleted.")


@dashboard.get("/clients/<uuid:client_id>/documents/<uuid:document_id>/content")
def download(client_id: UUID, document_id: UUID) -> Response:
    who = viewer()
    document = _document(client_id, document_id)
    return content_download(document, services().app.document_content(
        who.firm_id, document_id, who.actor))


def content_download(document: Document, content: bytes) -> Response:
    """A document's file as a download (the client portal offers the same)."""
    response = send_file(BytesIO(content), mimetype=document.media_type, as_attachment=True,
                         download_name=document.file_name)
    # The content came from outside: never let a browser run it as a page of this site.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response

