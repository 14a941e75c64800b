"""One document's page: pictures of its first pages, the fields and how each was found,
correcting them, a possible duplicate and deciding it, and the document's history.
Works without JavaScript: every change is a form POST with the CSRF token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, abort, render_template, request, send_file

from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import (
    DOCUMENT_TYPES,
    FIELD_NAMES,
    DocumentNotFound,
    DocumentStatus,
)
from lucy_events.aggregates.errors import DomainError
from lucy_events.history_text import who
from lucy_events.projections import get_document_row
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import TABS, load_client
from lucy_events.web.dashboard.forms import FormErrors, form_errors, status_for
from lucy_events.web.dashboard.history_lines import history_lines
from lucy_events.web.dashboard.labels import document_type
from lucy_events.web.dashboard.pages import done, firm_directory, services, viewer

FIELD_LABELS = {
    "supplier_name": "Supplier", "supplier_vat": "Supplier VAT number",
    "supplier_enterprise_number": "Supplier enterprise number", "customer_name": "Customer",
    "customer_vat": "Customer VAT number", "invoice_number": "Invoice number",
    "issue_date": "Issue date", "due_date": "Due date", "currency": "Currency",
    "total_excl_vat": "Total excl. VAT", "total_vat": "VAT", "total_incl_vat": "Total incl. VAT",
    "iban": "IBAN", "structured_communication": "Structured communication",
}
METHODS = {"ubl": "UBL", "factur-x": "Factur-X", "pdf-text": "PDF text", "ocr": "OCR",
           "none": "nothing"}
GROUNDS = {"same-content": "the same file",
           "same-supplier-and-number": "the same supplier and invoice number"}
Result = Response | tuple[str, int]


def _document(client_id: UUID, document_id: UUID) -> Document:
    who_ = viewer()
    document = services().app.document(who_.firm_id, document_id, who_.actor)
    if document.client_id != client_id:
        raise DocumentNotFound(f"no document {document_id}")
    return document


def _how(document: Document, name: str, value: str | None, names: dict[UUID, str]) -> str:
    if name in document.corrected_by:
        return f"corrected by {who(document.corrected_by[name], names)}"
    if value is None or document.recognition is None:
        return "not found"
    read = document.recognition
    return f"{METHODS.get(read['method'], read['method'])}, {read['confidence']:.0%} sure"


def _type_how(document: Document, names: dict[UUID, str]) -> str:
    if document.document_type is None:
        return "not recognised"
    source = document.type_source
    if source == "recognition" or "document_type" in document.corrected_by:
        return _how(document, "document_type", document.document_type, names)
    return "given by hand" if source == "hand" else "given on arrival"


def _duplicates(document: Document) -> list[dict[str, Any]]:
    found = []
    for other_id, suspicion in document.duplicates.items():
        try:
            other = services().app.document_for_system(other_id)
            name = other.file_name
        except DocumentNotFound:
            name = str(other_id)
        found.append({"id": other_id, "file_name": name, "held": suspicion["newer"],
                      "ground": GROUNDS.get(suspicion["ground"], suspicion["ground"])})
    return found


def _context(client_id: UUID, document: Document) -> dict[str, Any]:
    who_, names = viewer(), firm_directory().names
    fields = document.fields
    entries = services().app.client_history(who_.firm_id, client_id, by=who_.actor,
                                            document_ids=[document.id], invoice_ids=[])
    app = services().app
    pages = services().previews().count(document.sha256, document.media_type,
                                        lambda: app.blobs.get(document.blob_ref))
    return {
        "document": document,
        "row": get_document_row(services().read_db, firm_id=who_.firm_id,
                                document_id=document.id),
        "fields": [{"name": n, "label": FIELD_LABELS[n], "value": fields[n],
                    "how": _how(document, n, fields[n], names)} for n in FIELD_NAMES],
        "type_how": _type_how(document, names),
        "method": METHODS.get(document.recognition["method"], "")
        if document.recognition else None,
        "duplicates": _duplicates(document), "pages": pages,
        "type_options": [(t, document_type(t)) for t in DOCUMENT_TYPES],
        "sendable": document.status in (DocumentStatus.INBOX, DocumentStatus.FAILED),
        "lines": history_lines([e for e in entries if e.subject in ("document", "multisend")],
                               names),
    }


def render_document(client_id: UUID, document_id: UUID, *, status: int = 200,
                    errors: FormErrors | None = None, values: Any = None) -> tuple[str, int]:
    view = load_client(client_id)
    document = _document(client_id, document_id)
    page = render_template(
        "dashboard/client/document.html", view=view, tab="documents", tabs=TABS,
        directory=firm_directory(), errors=errors, values=values or {},
        **_context(client_id, document))
    return page, status


@dashboard.get("/clients/<uuid:client_id>/documents/<uuid:document_id>")
def document(client_id: UUID, document_id: UUID) -> tuple[str, int]:
    return render_document(client_id, document_id)


@dashboard.get("/clients/<uuid:client_id>/documents/<uuid:document_id>/pages/<int:number>.png")
def document_preview(client_id: UUID, document_id: UUID, number: int) -> Response:
    return preview_picture(_document(client_id, document_id), number)


def preview_picture(found: Document, number: int) -> Response:
    """The picture of a page of a document the caller may see (the client portal's
    document page shows the same)."""
    previews = services().previews()
    path = previews.page(found.sha256, number)
    if path is None:
        previews.count(found.sha256, found.media_type,
                       lambda: services().app.blobs.get(found.blob_ref))
        path = previews.page(found.sha256, number)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _attempt(client_id: UUID, document_id: UUID, form: str, command: Any,
             message: str) -> Result:
    try:
        command()
    except DomainError as error:
        return render_document(client_id, document_id, status=status_for(error),
                               errors=form_errors(form, error), values=request.form)
    return done(message, "dashboard.document", client_id=client_id, document_id=document_id)


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/fields")
def correct_fields(client_id: UUID, document_id: UUID) -> Result:
    who_, app = viewer(), services().app
    found = _document(client_id, document_id)
    fields = {name: request.form.get(name, "") for name in FIELD_NAMES if name in request.form}
    document_type = request.form.get("document_type") or None
    return _attempt(
        client_id, document_id, "fields",
        lambda: app.correct_document_fields(who_.firm_id, document_id, fields, document_type,
                                            who_.actor),
        f"The fields of {found.file_name} were saved.")


@dashboard.post("/clients/<uuid:client_id>/documents/<uuid:document_id>/not-duplicate")
def not_duplicate(client_id: UUID, document_id: UUID) -> Result:
    who_, app = viewer(), services().app
    found = _document(client_id, document_id)
    return _attempt(client_id, document_id, "duplicate",
                    lambda: app.dismiss_duplicates(who_.firm_id, document_id, who_.actor),
                    f"{found.file_name} is not a duplicate: it may be sent.")
