"""``lucy-events route``: the delivery consumers, on Kafka or in-process from the log."""

from __future__ import annotations

import threading
from collections.abc import Sequence

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


COMMANDS = [route]
