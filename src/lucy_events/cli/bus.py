"""``lucy-events relay`` and ``lag``: the outbox relay to Kafka and where consumers are."""

from __future__ import annotations

import click

from lucy_events.bus.lag import kafka_lag, store_lag
from lucy_events.cli.common import services as cli_services
from lucy_events.cli.stopping import stop_on_signals


@click.command()
@click.option("--batch-size", default=1000, show_default=True, help="Events per produce batch.")
def relay(batch_size: int) -> None:
    """Publish the event store to Kafka (LUCY_KAFKA_BOOTSTRAP), resuming where it stopped."""
    services = cli_services()
    try:
        services.relay(batch_size=batch_size).run(stop_on_signals())
    finally:
        services.close()


@click.command()
@click.option(
    "--group", "groups", multiple=True, default=["projector", "router", "auto-send"],
    show_default=True, help="Kafka consumer groups to report (with LUCY_KAFKA_BOOTSTRAP).",
)
def lag(groups: tuple[str, ...]) -> None:
    """How far behind the relay and each consumer are."""
    services = cli_services()
    try:
        head = services.app.recorder.max_notification_id() or 0
        lags = store_lag(services.read_db, head)
        if services.settings.kafka_bootstrap:
            lags += kafka_lag(services.settings.kafka_bootstrap, list(groups))
        click.echo(f"event store head: {head}")
        click.echo(f"{'consumer':<16} {'topic':<28} {'part':>4} {'position':>10} {'lag':>8}")
        for item in lags:
            click.echo(f"{item.consumer:<16} {item.topic:<28} {item.partition:>4} "
                       f"{item.position:>10} {item.lag:>8}")
    finally:
        services.close()


COMMANDS = [relay, lag]
