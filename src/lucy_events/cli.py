"""The ``lucy-events`` command: thin entry points over bootstrap and the application."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click
import structlog

from lucy_events.aggregates.errors import DomainError
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.history_text import format_history, resolve_client
from lucy_events.logs import configure_logging

log = structlog.get_logger()


def _services() -> Services:
    settings = Settings.from_env()
    configure_logging(settings.log_format)
    return bootstrap(settings)


@click.group()
@click.version_option(package_name="lucy-events")
def main() -> None:
    """lucy-events: event-sourced document routing for accounting firms."""


@main.command()
@click.option("--host", default=None, help="Listen address (default LUCY_HTTP_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default LUCY_HTTP_PORT or 8000).")
@click.option("--demo", is_flag=True, help="Seed the demo firm first if the store is empty.")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the embedded all-in-one service (HTTP, in-process consumers)."""
    from waitress import serve as waitress_serve

    from lucy_events.web import create_app

    services = _services()
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


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already has events.")
def demo(if_empty: bool) -> None:
    """Seed a realistic demo firm: staff, teams, clients and documents in every status."""
    services = _services()
    try:
        if if_empty and services.app.recorder.max_notification_id():
            click.echo("The event store already has events; nothing seeded.", err=True)
            return
        _seed(services)
    finally:
        services.close()


@main.command()
@click.argument("client")
@click.option(
    "--as-of", "as_of", default=None,
    help="Only what happened up to this ISO date/time (UTC).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def history(client: str, as_of: str | None, as_json: bool) -> None:
    """Show what happened to CLIENT (id, name, enterprise or VAT number) and its documents."""
    services = _services()
    try:
        summary = resolve_client(services.app, client)
        cutoff = _as_of(as_of)
        entries = services.app.client_history(summary.firm_id, summary.client_id, as_of=cutoff)
        firm = services.app.firm(summary.firm_id)
        if as_json:
            for entry in entries:
                click.echo(json.dumps({
                    "at": entry.at.isoformat(), "actor": entry.actor, "subject": entry.subject,
                    "subject_id": str(entry.subject_id), "version": entry.version,
                    "event": entry.event_type, "details": entry.details,
                }, default=str))
        else:
            click.echo(format_history(summary, entries, {**firm.staff_names, **firm.teams}))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


def _as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date or date-time", param_hint="--as-of"
        ) from None
    if len(value) == 10:  # a bare date means "up to the end of that day"
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
