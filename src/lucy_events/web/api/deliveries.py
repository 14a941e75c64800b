"""/deliveries: the firm's failed deliveries and sending them again.

Listing is for every staff member (an accountant does not see a hidden client's).
Retrying firm-wide is for admins; an accountant may retry one client's failures (name
it with ``client``), which is what resending its documents one by one would do anyway.
Retries are recorded as the viewer's, so the audit trail says who asked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.projections import FailedDelivery
from lucy_events.routers.failed import list_failed, retry_failed
from lucy_events.web.api.access import client_row, services, visible_client, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body, query_args
from lucy_events.web.api.schemas.deliveries import (
    DeliveryFiltersSchema,
    FailedDeliverySchema,
    FailedQuerySchema,
)
from lucy_events.web.auth import Viewer, current_viewer

_FAILED = FailedDeliverySchema()


def _visible(viewer: Viewer, rows: list[FailedDelivery]) -> list[FailedDelivery]:
    if viewer.is_admin:
        return rows
    seen: dict[UUID, bool] = {}
    for row in rows:
        client_id = row.document.client_id
        if client_id not in seen:
            seen[client_id] = client_row(viewer, client_id) is not None
    return [row for row in rows if seen[row.document.client_id]]


@api.get("/deliveries/failed")
def failed_deliveries() -> dict[str, Any]:
    """The firm's documents whose last delivery failed, the latest failures first.
    ---
    get:
      tags: [deliveries]
      summary: List failed deliveries
      parameters:
      - in: query
        schema: FailedQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: FailedPageSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    query = query_args(FailedQuerySchema())
    if query.get("client") is not None:
        visible_client(viewer, query["client"])
    rows = _visible(viewer, list_failed(
        services().read_db, firm_id=viewer.firm_id, client_id=query.get("client"),
        package=query.get("integration"), since=query.get("since")))
    page, size = query["page"], query["page_size"]
    return {"items": _FAILED.dump(rows[(page - 1) * size:page * size], many=True),
            "total": len(rows), "page": page, "page_size": size}


@api.post("/deliveries/retry")
def retry_deliveries() -> dict[str, Any]:
    """Send the matching failed documents again (never a Sent one).
    ---
    post:
      tags: [deliveries]
      summary: Retry failed deliveries (admins; accountants for one client)
      requestBody:
        content:
          application/json:
            schema: DeliveryFiltersSchema
      responses:
        200:
          content:
            application/json:
              schema: RetryReportSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = current_viewer()
    filters = json_body(DeliveryFiltersSchema())
    if filters.get("client") is not None:
        visible_client(viewer, filters["client"])
    elif not viewer.is_admin:
        raise PermissionDenied("only an admin may retry the firm's deliveries; "
                               "name a client to retry its own")
    report = retry_failed(
        services().app, services().read_db, firm_id=viewer.firm_id,
        client_id=filters.get("client"), package=filters.get("integration"),
        since=filters.get("since"), by=viewer.actor)
    written()
    return {
        "requested": [str(d) for d in report.requested],
        "skipped": [{"document_id": str(d), "reason": r} for d, r in report.skipped.items()],
    }
