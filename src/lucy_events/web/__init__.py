"""The HTTP side: a Flask app factory registering the blueprints."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from lucy_events.bootstrap import Services, bootstrap
from lucy_events.web.api import api
from lucy_events.web.body_limit import install as install_body_limit
from lucy_events.web.cookies import install as install_cookies
from lucy_events.web.dashboard import dashboard
from lucy_events.web.errors import register_error_handlers
from lucy_events.web.health import health
from lucy_events.web.metrics import metrics
from lucy_events.web.portal import portal


def _secret_key(services: Services) -> str:
    """LUCY_SECRET_KEY, or one made once and kept in the data directory, so sessions
    survive a restart."""
    if key := services.settings.secret_key:
        return key
    path = Path(services.settings.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(services: Services | None = None, config: dict[str, Any] | None = None) -> Flask:
    services = services or bootstrap()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(services),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.config.setdefault("LUCY_MAX_UPLOAD_BYTES", services.settings.max_upload_bytes)
    app.config.update(config or {})
    install_body_limit(app, int(app.config["LUCY_MAX_UPLOAD_BYTES"]))
    install_cookies(app, secure=services.settings.secure_cookies,
                    trusted_proxies=services.settings.trusted_proxies)
    app.extensions["lucy"] = services
    register_error_handlers(app)
    app.register_blueprint(health)
    app.register_blueprint(metrics)
    app.register_blueprint(api)
    app.register_blueprint(dashboard)
    app.register_blueprint(portal)
    return app
