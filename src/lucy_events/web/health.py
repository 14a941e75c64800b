"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app

from lucy_events import __version__
from lucy_events.bus.status import ConsumerStatus

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process answers; says nothing about its dependencies."""
    return {"status": "ok", "version": __version__}


@health.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    """Ready when the event store answers and none of this process's consumers is
    stalled (waiting out an outage), restarting or failed."""
    services = current_app.extensions["lucy"]
    consumers = {status.consumer: _consumer(status)
                 for status in services.consumer_statuses.snapshot()}
    try:
        position = services.app.recorder.max_notification_id() or 0
    except Exception as error:  # any store failure means "not ready", with the reason
        return {"status": "unavailable", "reason": type(error).__name__,
                "consumers": consumers}, 503
    body = {"status": "ready", "event_store": {"position": position}, "consumers": consumers}
    if any(not status["healthy"] for status in consumers.values()):
        return {**body, "status": "degraded"}, 503
    return body, 200


def _consumer(status: ConsumerStatus) -> dict[str, Any]:
    return {"state": status.state.value, "healthy": status.healthy, "reason": status.reason,
            "since": status.since, "processed": status.processed, "parked": status.parked,
            "retries": status.retries, "restarts": status.restarts}
