"""The HTTP side: a Flask app factory registering the blueprints."""

from __future__ import annotations

from typing import Any

from flask import Flask

from lucy_events.bootstrap import Services, bootstrap
from lucy_events.web.health import health
from lucy_events.web.metrics import metrics


def create_app(services: Services | None = None, config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})
    app.extensions["lucy"] = services or bootstrap()
    app.register_blueprint(health)
    app.register_blueprint(metrics)
    return app
