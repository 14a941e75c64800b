"""``/metrics`` in the Prometheus text format (see ``lucy_events.metrics``): the services'
own registry, rendered by ``prometheus_client``."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from lucy_events.metrics import CONTENT_TYPE

metrics = Blueprint("metrics", __name__)


@metrics.get("/metrics")
def prometheus() -> Response:
    services = current_app.extensions["lucy"]
    return Response(services.metrics.render(), mimetype=None, content_type=CONTENT_TYPE)
