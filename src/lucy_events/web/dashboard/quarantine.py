"""The client's inbox address (on its Overview and the activation page) and the
Quarantine section of its Allowed senders tab: mail held out of the inbox, released or
discarded by an admin. Plain forms with the CSRF token; no JavaScript needed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response

from lucy_events.aggregates.client import Client
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, tab_context
from lucy_events.web.dashboard.pages import services, viewer


def inbox_address(client: Client) -> str:
    return services().inbox_address(client)


@dashboard.app_context_processor
def _inbox_address() -> dict[str, Any]:
    return {"inbox_address": inbox_address}


@tab_context("senders")
def _quarantine(view: ClientView) -> dict[str, Any]:
    if not viewer().is_admin:
        return {"quarantine": None}
    mails = sorted(view.client.quarantine.values(), key=lambda m: m.received_at)
    return {"quarantine": mails}


@dashboard.post("/clients/<uuid:client_id>/quarantine/<uuid:mail_id>/release")
def release_mail(client_id: UUID, mail_id: UUID) -> Response | tuple[str, int]:
    who, app = viewer(), services().app
    released: list[UUID] = []

    def release() -> None:
        released.extend(app.release_quarantined_mail(who.firm_id, client_id, mail_id,
                                                     who.actor))

    return attempt("senders", client_id, "quarantine", release,
                   lambda: f"Released: {len(released)} document"
                           f"{'s' if len(released) != 1 else ''} in the inbox now.")


@dashboard.post("/clients/<uuid:client_id>/quarantine/<uuid:mail_id>/discard")
def discard_mail(client_id: UUID, mail_id: UUID) -> Response | tuple[str, int]:
    who, app = viewer(), services().app
    return attempt("senders", client_id, "quarantine",
                   lambda: app.discard_quarantined_mail(who.firm_id, client_id, mail_id,
                                                        who.actor),
                   "The quarantined mail was discarded.")
