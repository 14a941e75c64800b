"""What every command shares: settings, logging, the services."""

from __future__ import annotations

from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.logs import configure_logging


def services() -> Services:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    return bootstrap(settings)
