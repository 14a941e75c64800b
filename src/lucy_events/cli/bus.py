"""``lucy-events relay`` and ``lag``: the outbox relay to Kafka and where consumers are."""

from __future__ import annotations

import click

from lucy_events.bus import positions
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
def lag() -> None:
    """How far behind the event store the relay and each in-process consumer are."""
    services = cli_services()
    try:
        head = services.app.recorder.max_notification_id() or 0
        with services.read_db.transaction() as tx:
            positions.create_table(tx)
            rows = tx.execute(
                "SELECT consumer, topic, part, position FROM lucy_positions "
                "ORDER BY consumer, topic, part"
            )
        click.echo(f"event store head: {head}")
        click.echo(f"{'consumer':<20} {'topic':<28} {'part':>4} {'position':>10} {'lag':>8}")
        for consumer, topic, part, position in rows:
            behind = head - position if topic == "log" else "-"
            click.echo(f"{consumer:<20} {topic:<28} {part:>4} {position:>10} {behind:>8}")
    finally:
        services.close()


COMMANDS = [relay, lag]
