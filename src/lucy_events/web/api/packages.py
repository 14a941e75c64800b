"""/packages (admins): the firm-level set-up of the API and FTP packages, and "Test
connection" against the package itself."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.routers.portal_setup import (
    CheckResult,
    PortalSetup,
    by_consent,
    fields_for,
    set_up_here,
)
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.packages import (  # noqa: F401  (named in the docstrings)
    PackageCheckSchema,
    PackageSetupListSchema,
    PackageSetupSchema,
    PortalSettingsSchema,
)
from lucy_events.web.api.staff import admin


def check_json(result: CheckResult | None) -> dict[str, Any] | None:
    return None if result is None else {"ok": result.ok, "message": result.message,
                                        "checked_at": result.checked_at.isoformat()}


def package_json(setup: PortalSetup, firm_id: UUID, code: str) -> dict[str, Any]:
    portal = services().app.firm(firm_id).portal_integrations.get(code)
    package = PACKAGES[code]
    return {"package": code, "name": package.name, "kind": package.kind.value,
            "configured": portal is not None,
            "settings": {k: v for k, v in (portal or {}).items() if k != "credentials_ref"},
            "saved_secrets": setup.saved_secrets(firm_id, code),
            "by_consent": by_consent(code),
            "connected": by_consent(code) and setup.connected(firm_id, code),
            "fields": [{"name": f.name, "label": f.label, "secret": f.secret,
                        "required": f.required} for f in fields_for(code)],
            "last_check": check_json(setup.last_checks(firm_id).get(code))}


@api.get("/packages")
def list_packages() -> dict[str, Any]:
    """The API and FTP packages the firm can set up, with their status.
    ---
    get:
      tags: [packages]
      summary: List the firm's package set-up (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: PackageSetupListSchema
        401: Unauthorized
        403: Forbidden
    """
    viewer, setup = admin(), services().portal_setup()
    return {"packages": [package_json(setup, viewer.firm_id, c) for c in set_up_here()]}


@api.put("/packages/<package>")
def put_package(package: str) -> tuple[dict[str, Any], int]:
    """Save the package's settings and credentials (credentials are never shown again).
    ---
    put:
      tags: [packages]
      summary: Set up a package for the firm (admins)
      x-roles: [admin]
      parameters:
        - {in: path, name: package, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: PortalSettingsSchema
      responses:
        200:
          content:
            application/json:
              schema: PackageSetupSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        422: Unprocessable
    """
    viewer, body = admin(), json_body(PortalSettingsSchema())
    setup = services().portal_setup()
    setup.save(viewer.firm_id, package, body["settings"], viewer.actor)
    return package_json(setup, viewer.firm_id, package), 200


@api.post("/packages/<package>/check")
def check_package(package: str) -> tuple[dict[str, Any], int]:
    """Test the connection: a real check against the package, kept as its status.
    ---
    post:
      tags: [packages]
      summary: Test a package's connection (admins)
      x-roles: [admin]
      parameters:
        - {in: path, name: package, required: true, schema: {type: string}}
      responses:
        200:
          content:
            application/json:
              schema: PackageCheckSchema
        401: Unauthorized
        403: Forbidden
        422: Unprocessable
    """
    viewer = admin()
    result = services().portal_setup().check(viewer.firm_id, package)
    return {"ok": result.ok, "message": result.message,
            "checked_at": result.checked_at.isoformat()}, 200
