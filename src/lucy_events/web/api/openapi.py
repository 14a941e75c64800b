"""/openapi.json: the API described in OpenAPI 3, generated with apispec from the
marshmallow schemas and the YAML after ``---`` in each route's docstring.

Who may call an operation is part of its description, and the authorization matrix
test reads it from here: ``security: []`` (anyone), ``security: [{accessPoint: []}]``
(a Peppol access point, not staff), ``security: [{clientSession: []}]`` (a client
user of the client portal, not staff), otherwise any staff member's ``bearer`` token or
dashboard ``session``, and
``x-roles: [admin]`` where an accountant is refused."""

from __future__ import annotations

import inspect
import re
from http import HTTPStatus
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask, current_app

from lucy_events import __version__
from lucy_events.web.api.blueprint import api

_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_ERRORS = {
    "BadRequest": "the request does not match the schema (fields names each problem)",
    "Unauthorized": "no valid bearer token or session",
    "Forbidden": "the viewer's role does not allow this",
    "NotFound": "no such resource in the viewer's firm (or hidden from the viewer)",
    "Conflict": "a business rule refuses it in the current state; code names the rule",
    "Unprocessable": "well-formed, but a value breaks a domain rule (fields names it)",
    "TooLarge": "a file is larger than the limit (code file_too_large), or the whole "
                "request is (code request_entity_too_large, before its body is read)",
}


def _json(schema: Any, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: The form of a path parameter that is not a uuid, where it has one: an invitation
#: token is ``<client id hex>.<secret>`` (application.clients.new_invitation_token).
_PATTERNS = {"token": r"^[0-9a-f]{32}\.[A-Za-z0-9_-]+$"}


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [
        {"in": "path", "name": name, "required": True,
         "schema": {"type": "string", "format": "uuid"} if converter == "uuid"
         else {"type": "string", **({"pattern": _PATTERNS[name]} if name in _PATTERNS
                                    else {})}}
        for converter, name in _ARGUMENT.findall(rule)
    ]


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="lucy-events", version=__version__, openapi_version="3.0.3",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": "Document routing for accounting firms. Every error answers "
                             '{"error": {"code", "message", "fields"}}.'},
        servers=[{"url": "/"}], security=[{"bearer": []}, {"session": []}],
    )
    spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "a staff member's personal access token (lucy-events staff add); "
                       "an operation marked x-roles: [admin] answers 403 to an accountant"})
    spec.components.security_scheme("session", {
        "type": "apiKey", "in": "cookie", "name": "session",
        "description": "the dashboard's signed-in session; a change also needs the "
                       "session's CSRF secret in the X-CSRF-Token header"})
    spec.components.security_scheme("clientSession", {
        "type": "apiKey", "in": "cookie", "name": "session",
        "description": "a client user's signed-in session of the client portal "
                       "(/portal/signin); a staff token or session is refused (401), and a "
                       "change also needs the session's CSRF secret in X-CSRF-Token"})
    spec.components.security_scheme("accessPoint", {
        "type": "http", "scheme": "bearer",
        "description": "a Peppol access point's token (lucy-events peppol access-point "
                       "add); a staff token is refused (403)"})
    for name, description in _ERRORS.items():
        spec.components.response(name, _json("ErrorSchema", description))
    spec.components.response("Client", _json("ClientDetailSchema", "the client as it now reads"))
    spec.components.response("Document", _json("DocumentSchema", "the document as it now reads"))
    spec.components.response("Accepted", _json(
        {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}},
        "recorded; the read models have not caught up yet (Kafka), so only the id"))
    heads: dict[str, str] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(f"{api.name}."):
            continue
        view = app.view_functions[rule.endpoint]
        spec.path(view=view, app=app, parameters=_path_parameters(rule.rule) or None)
        heads[rule.endpoint] = inspect.getdoc(view) or ""
    document = spec.to_dict()
    _describe(document, app, heads)
    return document


def _describe(document: dict[str, Any], app: Flask, heads: dict[str, str]) -> None:
    """The docstring's prose (before ``---``) becomes each operation's description, and
    a response the YAML did not describe gets its status's phrase."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in heads:
            continue
        path = FlaskPlugin.flaskpath2openapi(rule.rule)
        prose = heads[rule.endpoint].split("---")[0].strip()
        for method in rule.methods or ():
            operation = document["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            if prose:
                operation.setdefault("description", prose)
            for status, response in operation.get("responses", {}).items():
                if "$ref" not in response:
                    response.setdefault("description", HTTPStatus(int(status)).phrase)


@api.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    """This API's OpenAPI 3 description.
    ---
    get:
      tags: [meta]
      summary: The OpenAPI description of this API
      security: []
      responses:
        200:
          description: an OpenAPI 3.0 document
          content:
            application/json:
              schema:
                type: object
    """
    extensions = current_app.extensions
    if "lucy.openapi" not in extensions:
        extensions["lucy.openapi"] = build_spec(current_app)
    document: dict[str, Any] = extensions["lucy.openapi"]
    return document
