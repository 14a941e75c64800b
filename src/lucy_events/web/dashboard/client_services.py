"""The client's services on its overview (Visma Advisor): each with its owner and
participants; admins assign a service (again: new owner and participants) or end it.
The firm's services are defined on the Staff page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import attempt
from lucy_events.web.dashboard.forms import text
from lucy_events.web.dashboard.pages import firm_directory, services, viewer
from lucy_events.web.dashboard.staff_page import acting, admin_viewer


@dashboard.app_template_global()
def client_services(client: Client) -> list[dict[str, Any]]:
    """The client's services as the overview names them."""
    firm = services().app.firm(client.firm_id)
    names = firm_directory().names
    return sorted(({"id": sid, "name": firm.services.get(sid, "?"),
                    "owner": names.get(s["owner"], "?"),
                    "participants": [names.get(p, "?") for p in s["participants"]]}
                   for sid, s in client.services.items()), key=lambda s: s["name"])


@dashboard.app_template_global()
def staff_directory() -> list[Any]:
    return list(firm_directory().staff)


@dashboard.app_template_global()
def firm_services() -> list[tuple[UUID, str]]:
    firm = services().app.firm(viewer().firm_id)
    return sorted(firm.services.items(), key=lambda s: s[1].casefold())


def _uuid(value: str, field: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise InvalidValue(field, "choose one") from None


@dashboard.post("/clients/<uuid:client_id>/services")
def assign_client_service(client_id: UUID) -> Any:
    who, app = viewer(), services().app

    def assign() -> None:
        participants = [_uuid(p, "participant_ids")
                        for p in request.form.getlist("participant_ids") if p]
        app.assign_service(who.firm_id, client_id, _uuid(text("service_id"), "service_id"),
                           _uuid(text("owner_id"), "owner_id"), participants, who.actor)

    return attempt("overview", client_id, "services", assign,
                   "The service is assigned: its people have the client under My clients.",
                   values=request.form)


@dashboard.post("/clients/<uuid:client_id>/services/<uuid:service_id>/end")
def end_client_service(client_id: UUID, service_id: UUID) -> Any:
    who, app = viewer(), services().app
    return attempt("overview", client_id, "services",
                   lambda: app.end_service(who.firm_id, client_id, service_id, who.actor),
                   "The service is ended.")


@dashboard.post("/services")
def define_firm_service() -> Any:
    who, name = admin_viewer(), text("name")
    return acting("service", lambda: services().app.define_service(
        who.firm_id, name, who.actor), f"Service {name} defined.")

