"""The client's History tab (the Vault tab is in ``vault``): the trail, the client and its
documents as they stood on a chosen date, and the exports."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from uuid import UUID

from flask import Response, request

from lucy_events.audit.export import FORMATS
from lucy_events.projections import client_document_ids
from lucy_events.projections.invoice_queries import client_invoice_ids
from lucy_events.web.api.history import export_response
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, render_client, tab_context
from lucy_events.web.dashboard.history_lines import history_lines
from lucy_events.web.dashboard.pages import firm_directory, services, viewer


def _day(name: str, *, end: bool) -> tuple[datetime | None, str | None]:
    """A date field of the tab's form: the moment it stands for, or an error."""
    text = request.args.get(name, "").strip()
    if not text:
        return None, None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None, f"{name.replace('_', ' ')}: not a date (YYYY-MM-DD)"
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC), None


@tab_context("history")
def _history(view: ClientView) -> dict[str, Any]:
    who = viewer()
    app = services().app
    documents = list(client_document_ids(services().read_db, firm_id=who.firm_id,
                                         client_id=view.id))
    as_of, problem = _day("as_of", end=True)
    entries = app.client_history(who.firm_id, view.id, as_of=as_of, by=who.actor,
                                 document_ids=documents,
                                 invoice_ids=client_invoice_ids(services().read_db,
                                                                who.firm_id, view.id))
    state = (app.client_as_of(who.firm_id, view.id, as_of, who.actor, documents)
             if as_of is not None else None)
    return {"lines": history_lines(entries, firm_directory().names), "as_of": as_of,
            "as_of_text": request.args.get("as_of", ""), "as_of_error": problem,
            "state": state, "export_formats": FORMATS}


@dashboard.get("/clients/<uuid:client_id>/history")
def history(client_id: UUID) -> tuple[str, int]:
    return render_client("history", client_id)


@dashboard.get("/clients/<uuid:client_id>/history/export")
def history_export(client_id: UUID) -> Response | tuple[str, int]:
    since, bad_from = _day("from", end=False)
    until, bad_to = _day("to", end=True)
    fmt = request.args.get("format", "html")
    if bad_from or bad_to or fmt not in FORMATS:
        return render_client("history", client_id, status=400)
    who = viewer()
    return export_response(who.firm_id, client_id, who.actor,
                           {"since": since, "until": until, "format": fmt})
