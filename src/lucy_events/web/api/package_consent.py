"""/packages/{package}/consent (admins): connect the firm's Exact Online account by OAuth2
consent. The dashboard does it with a button and its own callback page
(``/packages/connected``); over the API a program starts the consent, has the admin's
browser open the URL, and hands back what the redirect carried, with the same token."""

from __future__ import annotations

from typing import Any

from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.packages import package_json
from lucy_events.web.api.schemas.package_consent import (  # noqa: F401  (named below)
    ConsentCallbackSchema,
    ConsentStartedSchema,
)
from lucy_events.web.api.staff import admin
from lucy_events.web.auth import credential_hash


@api.post("/packages/<package>/consent")
def start_consent(package: str) -> tuple[dict[str, Any], int]:
    """Start connecting the firm's account: the package's consent page to open, with a
    single-use state valid 10 minutes, bound to this token and firm.
    ---
    post:
      tags: [packages]
      summary: Start the package's OAuth2 consent (admins)
      x-roles: [admin]
      parameters:
        - {in: path, name: package, required: true, schema: {type: string}}
      responses:
        201:
          content:
            application/json:
              schema: ConsentStartedSchema
        401: Unauthorized
        403: Forbidden
        422: Unprocessable
    """
    viewer = admin()
    started = services().package_consent().start(viewer.firm_id, viewer.staff_id,
                                                 credential_hash(), package)
    return {"authorize_url": started.authorize_url, "redirect_uri": started.redirect_uri,
            "expires_at": started.expires_at.isoformat()}, 201


@api.post("/packages/<package>/consent/callback")
def finish_consent(package: str) -> tuple[dict[str, Any], int]:
    """Finish connecting: the redirect's state and code (or error); the refresh token is
    kept, the connection tested, and the package's set-up with its status returned.
    A denied consent, an unknown, used, expired or foreign state (422) or a token
    endpoint that refuses the code or cannot be reached (409 consent_failed) change
    nothing.
    ---
    post:
      tags: [packages]
      summary: Finish the package's OAuth2 consent (admins)
      x-roles: [admin]
      parameters:
        - {in: path, name: package, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: ConsentCallbackSchema
      responses:
        200:
          content:
            application/json:
              schema: PackageSetupSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    viewer, body = admin(), json_body(ConsentCallbackSchema())
    consent = services().package_consent()
    connected = consent.finish(viewer.firm_id, viewer.actor, credential_hash(),
                               expected=package, **body)
    return package_json(consent.setup, viewer.firm_id, connected.package), 200
