"""Every error answers ``{"error": {"code", "message", "fields"}}`` with a fitting status."""

from __future__ import annotations

from typing import Any

import structlog
from flask import Flask
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from lucy_events.aggregates.errors import (
    ConcurrencyConflict,
    DomainError,
    Gone,
    InvalidValue,
    NotFound,
    PermissionDenied,
)
from lucy_events.bus.faults import is_infrastructure_failure

log = structlog.get_logger()
#: Seconds a client is asked to wait during an outage (about the consumers' backoff).
RETRY_AFTER = 5


class Unauthorized(Exception):
    """Raised when a request carries no valid token or session."""


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = " ".join(messages)
    else:
        flat[prefix or "_schema"] = str(messages)
    return flat


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def bad_request(error: ValidationError) -> tuple[dict[str, Any], int]:
        fields = _flatten(error.messages)
        return error_body("bad_request", "the request is not valid: " + ", ".join(
            f"{k}: {v}" for k, v in fields.items()), fields), 400

    @app.errorhandler(Unauthorized)
    def unauthorized(error: Unauthorized) -> tuple[dict[str, Any], int, dict[str, str]]:
        return error_body("unauthorized", str(error)), 401, {"WWW-Authenticate": "Bearer"}

    @app.errorhandler(DomainError)
    def domain(error: DomainError) -> tuple[dict[str, Any], int]:
        if isinstance(error, InvalidValue):
            fields = getattr(error, "fields", None) or {error.field: error.message}
            return error_body("invalid", str(error), fields), 422
        if isinstance(error, NotFound):
            return error_body("not_found", str(error)), 404
        if isinstance(error, PermissionDenied):
            return error_body("forbidden", str(error)), 403
        if isinstance(error, Gone):
            return error_body("gone", str(error)), 410
        if isinstance(error, ConcurrencyConflict):
            return error_body("conflict", str(error)), 409
        return error_body(_snake(type(error).__name__), str(error)), 409

    @app.errorhandler(HTTPException)
    def http(error: HTTPException) -> tuple[dict[str, Any], int, list[tuple[str, str]]]:
        # werkzeug's own headers of the answer (Allow on a 405, Retry-After on a 429).
        headers = [(name, value) for name, value in error.get_headers()
                   if name.lower() != "content-type"]
        return (error_body(_snake(type(error).__name__), error.description or ""),
                error.code or 500, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[dict[str, Any], int] | tuple[
            dict[str, Any], int, dict[str, str]]:
        if is_infrastructure_failure(error):  # the database (or broker) is away: try later
            log.warning("service unavailable", error=f"{type(error).__name__}: {error}")
            return error_body("unavailable", "a service this needs is unavailable; "
                              "try again shortly"), 503, {"Retry-After": str(RETRY_AFTER)}
        log.exception("unexpected error")
        return error_body("internal", "something went wrong; it was logged"), 500


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
