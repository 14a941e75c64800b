"""``lucy-events serve`` and ``demo``: the embedded all-in-one service and its demo data."""

from __future__ import annotations

import click
import structlog

from lucy_events.bootstrap import Services
from lucy_events.cli.common import services as cli_services

log = structlog.get_logger()


@click.command()
@click.option("--host", default=None, help="Listen address (default LUCY_HTTP_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default LUCY_HTTP_PORT or 8000).")
@click.option("--demo", is_flag=True, help="Seed the demo firm first if the store is empty.")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the embedded all-in-one service (HTTP, in-process consumers)."""
    from waitress import serve as waitress_serve

    from lucy_events.web import create_app

    services = cli_services()
    if demo and not services.app.recorder.max_notification_id():
        _seed(services)
    host = host or services.settings.http_host
    port = port or services.settings.http_port
    log.info("serving", url=f"http://{host}:{port}", store=services.settings.database_url)
    click.echo(f"lucy-events listening on http://{host}:{port} (health: /healthz)", err=True)
    try:
        waitress_serve(create_app(services), host=host, port=port, threads=8, _quiet=True)
    finally:
        services.close()


def _seed(services: Services) -> None:
    from lucy_events.demo import seed_demo

    demo = seed_demo(services.app)
    click.echo(
        f"Seeded the demo firm {demo.firm_id}: {len(demo.staff)} staff, "
        f"{len(demo.clients)} clients, {demo.documents} documents.", err=True,
    )


@click.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already has events.")
def demo(if_empty: bool) -> None:
    """Seed a realistic demo firm: staff, teams, clients and documents in every status."""
    services = cli_services()
    try:
        if if_empty and services.app.recorder.max_notification_id():
            click.echo("The event store already has events; nothing seeded.", err=True)
            return
        _seed(services)
    finally:
        services.close()


COMMANDS = [serve, demo]
