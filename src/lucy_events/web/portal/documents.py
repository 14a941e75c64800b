"""The client's documents in the portal: the Inbox (not yet sent), all documents with
their status, one document with its preview and fields (the staff page's shared parts),
its download, and uploading several files at once (the dashboard's upload path: the
same limit, the same checks of each file).

The Inbox page itself is ``inbox_page`` (the staff dashboard shows it read-only).
"""

from __future__ import annotations

from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for

from lucy_events.aggregates.document_rules import FIELD_NAMES
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import IncomingDocument
from lucy_events.intake.files import Destination
from lucy_events.projections import list_documents
from lucy_events.web.consistency import wait_for_read_models
from lucy_events.web.dashboard.document_page import FIELD_LABELS, preview_picture
from lucy_events.web.dashboard.documents import content_download
from lucy_events.web.dashboard.forms import form_errors, status_for
from lucy_events.web.dashboard.uploads import files_of_the_form
from lucy_events.web.portal import portal
from lucy_events.web.portal.access import own_company, own_document, services
from lucy_events.web.portal.auth import client_user_required, current_client_user
from lucy_events.web.portal.inbox_page import LISTED, PAGE_SIZE, inbox_page, page_number
from lucy_events.web.portal.wording import t


@portal.get("/")
@client_user_required
def inbox() -> tuple[str, int]:
    who = current_client_user()
    return inbox_page(who.firm_id, who.client_id, company=own_company(who).name,
                      read_only=False)


@portal.get("/documents")
@client_user_required
def documents() -> tuple[str, int]:
    who = current_client_user()
    wanted = request.args.get("status", "")
    page = list_documents(services().read_db, firm_id=who.firm_id, client_id=who.client_id,
                          status=wanted if wanted in LISTED else None, page=page_number(),
                          page_size=PAGE_SIZE)
    return render_template("portal/documents.html", documents=page, statuses=LISTED,
                           status_filter=wanted if wanted in LISTED else ""), 200


@portal.get("/documents/<uuid:document_id>")
@client_user_required
def document(document_id: UUID) -> tuple[str, int]:
    who = current_client_user()
    found = own_document(who, document_id)
    app = services().app
    pages = services().previews().count(found.sha256, found.media_type,
                                        lambda: app.blobs.get(found.blob_ref))
    fields = [{"name": n, "label": FIELD_LABELS[n], "value": found.fields[n], "how": None}
              for n in FIELD_NAMES]
    return render_template("portal/document.html", document=found, pages=pages,
                           fields=fields), 200


@portal.get("/documents/<uuid:document_id>/pages/<int:number>.png")
@client_user_required
def document_preview(document_id: UUID, number: int) -> Response:
    return preview_picture(own_document(current_client_user(), document_id), number)


@portal.get("/documents/<uuid:document_id>/content")
@client_user_required
def download(document_id: UUID) -> Response:
    who = current_client_user()
    found = own_document(who, document_id)
    return content_download(found, services().app.document_content(
        who.firm_id, document_id, who.actor))


@portal.post("/documents/upload")
@client_user_required
def upload() -> Response | tuple[str, int]:
    who = current_client_user()
    company = own_company(who)
    try:
        files = files_of_the_form(Destination.DOCUMENTS)
        ids = services().app.receive_documents([
            IncomingDocument(who.firm_id, who.client_id, file.content, file.file_name,
                             file.media_type, "upload") for file in files], who.actor)
    except DomainError as error:
        return inbox_page(who.firm_id, who.client_id, company=company.name, read_only=False,
                          status=status_for(error), errors=form_errors("upload", error))
    wait_for_read_models()
    flash(t("uploaded", count=len(ids)), "success")
    return redirect(url_for("portal.inbox"), 303)  # type: ignore[return-value]
