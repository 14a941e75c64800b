"""/clients/{id}/favourite: the viewer's own favourites, listed first for them only.

A preference, not a business fact: no event, written straight to its table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.projections import add_favourite, remove_favourite
from lucy_events.web.api.access import services, visible_client
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import detail
from lucy_events.web.auth import current_viewer

Answer = tuple[Any, int]


@api.put("/clients/<uuid:client_id>/favourite")
def put_favourite(client_id: UUID) -> Answer:
    """Make the client one of the viewer's favourites (listed first, for them only).
    ---
    put:
      tags: [client settings]
      summary: Mark as a favourite of the viewer
      responses:
        200: Client
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    visible_client(viewer, client_id)
    add_favourite(services().read_db, viewer.staff_id, client_id)
    return detail(viewer, client_id), 200


@api.delete("/clients/<uuid:client_id>/favourite")
def delete_favourite(client_id: UUID) -> Answer:
    """No longer one of the viewer's favourites.
    ---
    delete:
      tags: [client settings]
      summary: Unmark as a favourite of the viewer
      responses:
        200: Client
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    visible_client(viewer, client_id)
    remove_favourite(services().read_db, viewer.staff_id, client_id)
    return detail(viewer, client_id), 200
