"""/clients: the firm's client list, creating a client, one client."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.projections import ClientFilters, list_clients, tab_counts
from lucy_events.web.api.access import (
    client_row,
    referenced,
    role,
    services,
    visible_client,
    written,
)
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body, query_args
from lucy_events.web.api.schemas.clients import (
    ClientCreateSchema,
    ClientListQuerySchema,
    ClientSchema,
    ProfileSchema,
)
from lucy_events.web.auth import Viewer, current_viewer

_CLIENT = ClientSchema()
_PROFILE = ProfileSchema()


def detail(viewer: Viewer, client_id: UUID) -> dict[str, Any]:
    """The client's dashboard row, and its profile, which the row does not carry, read
    from the client's own events (one client's, so cheap and always current)."""
    row = visible_client(viewer, client_id)
    client = services().app.client(viewer.firm_id, client_id, viewer.actor)
    profile = _PROFILE.dump({
        "legal_form": client.legal_form, "address": client.address,
        "contact_person": client.contact_person, "allowed_senders": client.allowed_senders,
        "integration_settings": (client.integration or {}).get("settings"),
        "inbox_address": services().inbox_address(client),
    })
    return {**_CLIENT.dump(row), "profile": profile}


def answer_written(viewer: Viewer, client_id: UUID, status: int = 200) -> tuple[Any, int]:
    """After a change to a client: the client as it now reads, or, when the read models
    are behind (on Kafka they catch up on their own), 202 with its id."""
    written()
    if client_row(viewer, client_id) is None:
        return {"id": str(client_id)}, 202
    return detail(viewer, client_id), status


@api.get("/clients")
def list_clients_view() -> dict[str, Any]:
    """The firm's clients as the viewer sees them, the viewer's favourites first.
    ---
    get:
      tags: [clients]
      summary: List clients (tabs, search, filters, sort, pages)
      parameters:
      - in: query
        schema: ClientListQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: ClientPageSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
    """
    viewer = current_viewer()
    query = query_args(ClientListQuerySchema())
    db = services().read_db
    page = list_clients(db, firm_id=viewer.firm_id, viewer_staff_id=viewer.staff_id,
                        viewer_role=role(viewer), **query)
    filters = ClientFilters(query.get("q"), query.get("status"), query.get("team"),
                            query.get("peppol"), query.get("integration"),
                            query.get("has_inbox"))
    counts = tab_counts(db, firm_id=viewer.firm_id, viewer_staff_id=viewer.staff_id,
                        viewer_role=role(viewer), filters=filters)
    return {
        "items": _CLIENT.dump(page.rows, many=True), "total": page.total, "page": page.page,
        "page_size": page.page_size, "tab": query.get("tab") or _default_tab(viewer),
        "tab_counts": {tab.value: count for tab, count in counts.items()},
    }


def _default_tab(viewer: Viewer) -> str:
    return "all" if viewer.is_admin else "mine"


@api.post("/clients")
def create_client() -> tuple[Any, int, dict[str, str]]:
    """Create a client of the firm (status Created).
    ---
    post:
      tags: [clients]
      summary: Create a client
      requestBody:
        required: true
        content:
          application/json:
            schema: ClientCreateSchema
      responses:
        201:
          description: the new client; Location names it
          content:
            application/json:
              schema: ClientDetailSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        422: Unprocessable
    """
    viewer = current_viewer()
    fields = json_body(ClientCreateSchema())
    if fields.get("firm_contact_id") is not None and not viewer.is_admin:
        raise PermissionDenied("only an admin may choose the firm contact person")
    with referenced(team="team_id", staff="firm_contact_id"):
        client_id = services().app.create_client(viewer.firm_id, viewer.actor, **fields)
    body, status = answer_written(viewer, client_id, 201)
    return body, status, {"Location": url_for("api.get_client", client_id=client_id)}


@api.get("/clients/<uuid:client_id>")
def get_client(client_id: UUID) -> dict[str, Any]:
    """One client: its dashboard row and its profile.
    ---
    get:
      tags: [clients]
      summary: Get a client
      responses:
        200:
          content:
            application/json:
              schema: ClientDetailSchema
        401: Unauthorized
        404: NotFound
    """
    return detail(current_viewer(), client_id)
