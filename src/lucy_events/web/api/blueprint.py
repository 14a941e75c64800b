"""The ``api`` blueprint itself, apart from the package so route modules can import it
while the package registers them, and the checks every API request passes first."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, request, session

from lucy_events.web.auth import authenticated_by_token, current_viewer
from lucy_events.web.errors import error_body

api = Blueprint("api", __name__, url_prefix="/api/v1")

#: Endpoints anyone may call: the client's contact person accepting an invitation (the
#: token is the credential) and the API description.
PUBLIC = frozenset({"api.accept_invitation", "api.openapi_document"})
#: The Peppol access point authenticates with its own token (web.api.peppol checks it).
PUBLIC |= {"api.peppol_inbound"}
#: A multisender destination's confirmation link: its token is the credential.
PUBLIC |= {"api.confirm_destination"}
#: The client portal's endpoints (``web.api.portal``) check for a client user instead.
CLIENT_PORTAL = "api.portal."
#: The dashboard's per-session CSRF secret (web.dashboard.csrf keeps it under this key
#: and its pages' scripts send it in this header).
CSRF_SESSION_KEY = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@api.before_request
def _staff_only() -> tuple[dict[str, Any], int] | None:
    """Every other endpoint needs a staff member, checked here once so that a route
    that forgets to ask still refuses strangers (401 before any lookup).

    A bearer token is never sent by a browser on its own; a session cookie is, so a
    change made with the dashboard's session must also carry its CSRF secret."""
    if request.endpoint in PUBLIC or (request.endpoint or "").startswith(CLIENT_PORTAL):
        return None
    current_viewer()
    if authenticated_by_token() or request.method in _SAFE_METHODS:
        return None
    expected = str(session.get(CSRF_SESSION_KEY) or "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(sent, expected):
        return error_body("csrf_rejected", f"a change made with a session needs its "
                          f"{CSRF_HEADER} header (or use a bearer token)"), 403
    return None
