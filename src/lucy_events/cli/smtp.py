"""``lucy-events smtp``: the clients' inbox addresses over SMTP, as a process of its own.

It reads the inbox addresses read model that ``project`` (or ``serve``) keeps, and
writes documents and quarantined mail to the event store like any command.
"""

from __future__ import annotations

import click
import structlog

from lucy_events.cli.common import services as cli_services
from lucy_events.cli.stopping import stop_on_signals

log = structlog.get_logger()


@click.command()
@click.option("--host", default=None, help="Listen address (default LUCY_SMTP_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default LUCY_SMTP_PORT or 2525).")
def smtp(host: str | None, port: int | None) -> None:
    """Take in mail for the clients' inbox addresses until SIGTERM."""
    services = cli_services()
    stop = stop_on_signals()
    server = services.smtp_server(host, port)
    try:
        server.start()
        settings = services.settings
        where = f"{server.hostname}:{server.port}"
        log.info("smtp intake listening", address=where, domain=settings.inbox_domain,
                 starttls=settings.smtp_tls_cert is not None)
        click.echo(f"lucy-events smtp listening on {where} for *@{settings.inbox_domain}",
                   err=True)
        stop.wait()
    finally:
        server.stop()
        services.close()


COMMANDS = [smtp]
