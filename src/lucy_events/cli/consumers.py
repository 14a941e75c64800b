"""``lucy-events project``, ``route`` and ``replay``: the consumers, on Kafka or
in-process from the log, and rebuilding read models."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

import click

from lucy_events.bootstrap import Services
from lucy_events.bus.runtime import Handler
from lucy_events.cli.common import services as cli_services
from lucy_events.cli.stopping import stop_on_signals


def run_handlers(services: Services, handlers: Sequence[Handler], **options: Any) -> None:
    """Run the handlers through the consumer runner until SIGTERM: each in its own
    consumer group on Kafka when LUCY_KAFKA_BOOTSTRAP is set, else from the event store's
    log in this process. A consumer that keeps crashing ends the process with exit 1."""
    runner = services.consumer_runner(handlers, **options)
    stop = stop_on_signals()
    services.serve_metrics()

    def stop_on_signal() -> None:
        stop.wait()
        runner.stop_event.set()

    threading.Thread(target=stop_on_signal, name="stop-on-signal", daemon=True).start()
    runner.start()
    code = runner.wait()
    if code:
        raise SystemExit(code)


@click.command()
def route() -> None:
    """Deliver requested documents to the clients' packages (and auto-send recognised ones)."""
    services = cli_services()
    try:
        run_handlers(services, services.delivery_handlers())
    finally:
        services.close()


def run_recognition_worker(services: Services | None = None) -> None:
    """``lucy-events recognise`` without a file: read every new document, in the
    ``recognition`` consumer group on Kafka, or in-process from the event store's log."""
    services = services or cli_services()
    try:
        run_handlers(services, services.recognition_handlers())
    finally:
        services.close()


@click.command()
def project() -> None:
    """Keep the dashboard read models up to date."""
    services = cli_services()
    try:
        run_handlers(services, services.projection_handlers())
    finally:
        services.close()


@click.command()
@click.option("--projection", "names", multiple=True,
              help="Read model to rebuild (default: all of them).")
def replay(names: tuple[str, ...]) -> None:
    """Rebuild read models from the event store into fresh tables, then swap them in;
    the dashboard keeps serving the old tables meanwhile."""
    from lucy_events.projections import PROJECTIONS
    from lucy_events.projections.replay import Rebuild

    services = cli_services()
    try:
        for name in names or tuple(PROJECTIONS):
            head = services.app.recorder.max_notification_id() or 0
            bar: Any = click.progressbar(length=head, label=f"rebuilding {name}",
                                         show_pos=True, file=sys.stderr)
            with bar:

                def progress(position: int, _head: int, bar: Any = bar) -> None:
                    bar.update(max(0, position - bar.pos))

                run = Rebuild(services.read_db, services.app, name, progress=progress,
                              live_reads_log=not services.settings.kafka_bootstrap)
                run.start()
                run.catch_up()
                result = run.swap()
            click.echo(f"{name}: {result.events} events in {result.seconds:.1f} s "
                       f"({result.per_second:.0f} events/s), swapped in")
    finally:
        services.close()


COMMANDS = [project, route, replay]
