"""The client's History tab (the Vault tab is in ``vault``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.projections import client_document_ids
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, render_client, tab_context
from lucy_events.web.dashboard.history_lines import history_lines
from lucy_events.web.dashboard.pages import firm_directory, services, viewer


@tab_context("history")
def _history(view: ClientView) -> dict[str, Any]:
    who = viewer()
    entries = services().app.client_history(
        who.firm_id, view.id, by=who.actor, document_ids=client_document_ids(
            services().read_db, firm_id=who.firm_id, client_id=view.id))
    return {"lines": history_lines(entries, firm_directory().names)}


@dashboard.get("/clients/<uuid:client_id>/history")
def history(client_id: UUID) -> tuple[str, int]:
    return render_client("history", client_id)
