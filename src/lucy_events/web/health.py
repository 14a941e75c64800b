"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app

from lucy_events import __version__

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process answers; says nothing about its dependencies."""
    return {"status": "ok", "version": __version__}


@health.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    """Ready when the event store answers."""
    services = current_app.extensions["lucy"]
    try:
        position = services.app.recorder.max_notification_id() or 0
    except Exception as error:  # any store failure means "not ready", with the reason
        return {"status": "unavailable", "reason": type(error).__name__}, 503
    return {"status": "ready", "event_store": {"position": position}}, 200
