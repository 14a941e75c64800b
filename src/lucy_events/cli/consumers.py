"""``lucy-events project``, ``route`` and ``replay``: the consumers, on Kafka or
in-process from the log, and rebuilding read models."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

import click

from lucy_events.bootstrap import Services
from lucy_events.bus.dead_letters import KafkaDeadLetters
from lucy_events.bus.embedded import EmbeddedConsumers
from lucy_events.bus.kafka_source import KafkaSource
from lucy_events.bus.runtime import ConsumerRuntime, Handler
from lucy_events.cli.common import services as cli_services
from lucy_events.cli.stopping import stop_on_signals


def run_handlers(services: Services, handlers: Sequence[Handler]) -> None:
    """Run the handlers until SIGTERM: each in its own consumer group on Kafka when
    LUCY_KAFKA_BOOTSTRAP is set, else from the event store's log in this process."""
    stop = stop_on_signals()
    services.serve_metrics()
    if not services.settings.kafka_bootstrap:
        embedded = EmbeddedConsumers(services.app, services.read_db, handlers)
        embedded.start()
        stop.wait()
        embedded.stop()
        return
    bootstrap = services.settings.kafka_bootstrap
    dead_letters = KafkaDeadLetters(bootstrap)
    runtimes = [ConsumerRuntime(KafkaSource(bootstrap, h.name, h.topics), h, dead_letters)
                for h in handlers]
    threads = [threading.Thread(target=r.run, args=(stop,), name=f"consumer-{r.handler.name}")
               for r in runtimes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@click.command()
def route() -> None:
    """Deliver requested documents to the clients' packages (and auto-send recognised ones)."""
    services = cli_services()
    try:
        run_handlers(services, services.delivery_handlers())
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
