"""The company's Inbox as its users see it: the documents not yet sent, newest first,
with the upload form. The client portal shows it to its users; the staff dashboard shows
the same page read-only ("as the customer sees it", ``web.dashboard.customer_view``).
Apart from the portal's route modules, so the dashboard can import it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, render_template, request

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.projections import list_documents
from lucy_events.web.api.schemas.common import MAX_PAGE
from lucy_events.web.portal.access import services
from lucy_events.web.uploaded_files import size_text, upload_limit

PAGE_SIZE = 50
LISTED = [s.value for s in DocumentStatus if s is not DocumentStatus.DELETED]


def page_number() -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        return 1


def inbox_page(firm_id: UUID, client_id: UUID, *, company: str, read_only: bool,
               status: int = 200, **context: Any) -> tuple[str, int]:
    """The Inbox of ``client_id``, as the company's users see it."""
    documents = list_documents(services().read_db, firm_id=firm_id, client_id=client_id,
                               status=DocumentStatus.INBOX.value, page=page_number(),
                               page_size=PAGE_SIZE)
    context.setdefault("errors", None)
    return render_template(
        "portal/inbox.html", documents=documents, company=company, read_only=read_only,
        client_id=client_id,
        limit=size_text(upload_limit(current_app.config)), **context), status
