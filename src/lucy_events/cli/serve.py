"""``lucy-events serve`` and ``demo``: the embedded all-in-one service and its demo data."""

from __future__ import annotations

import _thread
from typing import TYPE_CHECKING

import click
import structlog

from lucy_events.bootstrap import Services
from lucy_events.bus.runner import ConsumerRunner
from lucy_events.cli.banner import mail_lines, port_taken, show_when_ready
from lucy_events.cli.common import services as cli_services
from lucy_events.invoicing.delivery_checks import delivery_schedule
from lucy_events.notifications.client_reminders import digest_schedule
from lucy_events.notifications.reminders import reminder_schedule

if TYPE_CHECKING:  # the demo's sample documents are heavy to import: only `--demo` needs them
    from aiosmtpd.controller import Controller

    from lucy_events.demo import DemoFirm

log = structlog.get_logger()


@click.command()
@click.option("--host", default=None, help="Listen address (default LUCY_HTTP_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default LUCY_HTTP_PORT or 8000).")
@click.option("--demo", is_flag=True, help="Seed the demo firm first if the store is empty.")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the embedded all-in-one service (HTTP, in-process consumers)."""
    services = cli_services()
    seeded = None
    if demo and not services.app.recorder.max_notification_id():
        seeded = _seed(services)  # before the consumers start: the demo is seeded as written
    consumers = services.consumer_runner(
        [*services.projection_handlers(), *services.delivery_handlers(),
         *services.recognition_handlers()],
        on_failure=_thread.interrupt_main,  # waitress returns; then exit 1 (below)
    )
    consumers.start()
    smtp_server = services.smtp_server()
    smtp_server.start()
    click.echo(f"SMTP intake on {smtp_server.hostname}:{smtp_server.port} for "
               f"*@{services.settings.inbox_domain}", err=True)
    reminders = reminder_schedule(services.invitation_reminders())
    reminders.start()
    digests = digest_schedule(services.digests())
    digests.start()
    deliveries = delivery_schedule(services.invoice_delivery_checks(),
                                   services.settings.peppol_status_interval)
    deliveries.start()
    banner: list[str] = []
    if demo:
        from lucy_events.web.dashboard.signin_hint import demo_signin_lines

        url = f"http://{host or services.settings.http_host}:{port or services.settings.http_port}"
        banner = [*demo_signin_lines(services, seeded, url=url), *mail_lines(services, url)]
    try:
        _listen(services, host, port, consumers, smtp_server, banner)
    finally:
        reminders.stop()
        digests.stop()
        deliveries.stop()


def _listen(services: Services, host: str | None, port: int | None,
            consumers: ConsumerRunner | None = None, smtp_server: Controller | None = None,
            banner: list[str] | None = None) -> None:
    from lucy_events.web import create_app
    from lucy_events.web.http_server import create_server

    host = host or services.settings.http_host
    port = port or services.settings.http_port
    log.info("serving", url=f"http://{host}:{port}", store=services.settings.database_url)
    click.echo(f"lucy-events listening on http://{host}:{port} (health: /healthz)", err=True)
    try:
        try:
            server = create_server(create_app(services), host=host, port=port,
                                   max_upload_bytes=services.settings.max_upload_bytes)
        except OSError as error:
            raise SystemExit(port_taken(host, port, error)) from None
        if banner:
            show_when_ready(services, banner)
        server.run()
    finally:
        if smtp_server is not None:  # first: a mail in flight is answered before the store closes
            smtp_server.stop()
        if consumers is not None:
            consumers.stop()
        services.close()
    if consumers is not None and consumers.failed:
        raise SystemExit(f"consumer {consumers.failed} keeps crashing; stopped (see the log)")


@click.command()
@click.option("--host", default=None, help="Listen address (default LUCY_HTTP_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default LUCY_HTTP_PORT or 8000).")
def api(host: str | None, port: int | None) -> None:
    """Run only the HTTP API and dashboard (the consumers run as their own processes)."""
    _listen(cli_services(), host, port)


def _seed(services: Services) -> DemoFirm:
    from lucy_events.demo import seed_demo

    demo = seed_demo(services.app)
    if demo.existing:
        click.echo(f"The demo firm is already there ({demo.firm_id}); nothing seeded.",
                   err=True)
        return demo
    click.echo(
        f"Seeded the demo firm {demo.firm_id}: {len(demo.staff)} staff, "
        f"{len(demo.clients)} clients, {demo.documents} documents.", err=True,
    )
    return demo


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


COMMANDS = [serve, api, demo]
