"""The client's Inbox "as the customer sees it": the client portal's own Inbox page,
read-only (no upload, no links into the portal), for staff who may see the client (a
hidden client is "not found" to an accountant, as everywhere)."""

from __future__ import annotations

from uuid import UUID

from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import load_client
from lucy_events.web.dashboard.pages import viewer
from lucy_events.web.portal.inbox_page import inbox_page
from lucy_events.web.portal.wording import language, t


@dashboard.get("/clients/<uuid:client_id>/as-customer")
def as_customer(client_id: UUID) -> tuple[str, int]:
    view = load_client(client_id)
    return inbox_page(viewer().firm_id, client_id, company=view.client.name, read_only=True,
                      t=t, language=language())
