"""The client portal's JSON API under ``/api/v1/portal``: the signed-in client user's
own company and auto-send here, its documents and uploading in ``portal_documents``.
The same rules as the portal's pages (``web.portal.access``).

A blueprint of its own inside ``api`` (so the OpenAPI document describes it and the
authorization matrix and schemathesis run over it), authenticated by the client user's
session cookie instead of a staff member's token or session: ``api``'s staff check
leaves these endpoints to the check here. A change carries the session's CSRF secret
in ``X-CSRF-Token``, as the dashboard's scripts do.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, request, session

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.web.api.access import written
from lucy_events.web.api.blueprint import CSRF_HEADER, CSRF_SESSION_KEY
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.portal import PortalMeSchema
from lucy_events.web.api.schemas.settings import AutoSendSchema
from lucy_events.web.errors import error_body
from lucy_events.web.portal.access import own_company, services
from lucy_events.web.portal.auth import ClientViewer, current_client_user

portal_api = Blueprint("portal", __name__, url_prefix="/portal")
_ME = PortalMeSchema()
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@portal_api.before_request
def _client_user_only() -> tuple[dict[str, Any], int] | None:
    current_client_user()
    if request.method in _SAFE_METHODS:
        return None
    expected = str(session.get(CSRF_SESSION_KEY) or "")
    if not expected or not hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), expected):
        return error_body("csrf_rejected",
                          f"a change made with a session needs its {CSRF_HEADER} header"), 403
    return None


def _me(who: ClientViewer) -> dict[str, Any]:
    company = own_company(who)
    linked = company.integration if company.integration and \
        company.integration.get("kind") != "none" else None
    package = PACKAGES.get(linked["package"]) if linked else None
    dumped: dict[str, Any] = _ME.dump({"user": who.user, "company": {
        "id": company.id, "name": company.name,
        "inbox_address": services().inbox_address(company),
        "allowed_senders": company.allowed_senders, "auto_send": company.auto_send,
        "integration": {"package": linked["package"], "ubl": bool(linked.get("ubl")),
                        "name": package.name if package else linked["package"]}
        if linked else None}})
    return dumped


@portal_api.get("/me")
def portal_me() -> dict[str, Any]:
    """The signed-in client user and their company: inbox address, allowed senders,
    auto-send, and the accountant's package (read-only).
    ---
    get:
      tags: [portal]
      summary: Who I am and my company
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: PortalMeSchema
        401: Unauthorized
    """
    return _me(current_client_user())


@portal_api.put("/auto-send")
def portal_auto_send() -> tuple[dict[str, Any], int]:
    """Turn auto-send of recognised documents on or off; the event records the client
    user as its actor.
    ---
    put:
      tags: [portal]
      summary: Choose auto-send for my company
      security: [{clientSession: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: AutoSendSchema
      responses:
        200:
          content:
            application/json:
              schema: PortalMeSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
    """
    who, body = current_client_user(), json_body(AutoSendSchema())
    services().app.change_auto_send(who.firm_id, who.client_id, body["auto_send"], who.actor)
    written()
    return _me(who), 200
