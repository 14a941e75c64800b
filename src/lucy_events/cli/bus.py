"""``lucy-events relay`` and ``lag``: the outbox relay to Kafka and where consumers are."""

from __future__ import annotations

import click

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
    """How far behind the relay and each consumer are: the relay and in-process consumers
    against the event store's head; with LUCY_KAFKA_BOOTSTRAP, each handler's consumer
    group against the end of its topics' partitions."""
    services = cli_services()
    try:
        lags = services.lag_reader().read()
        click.echo(f"event store head: {services.store_head()}")
        click.echo(f"{'consumer':<16} {'topic':<28} {'part':>4} {'position':>10} {'lag':>8}")
        for item in lags:
            click.echo(f"{item.consumer:<16} {item.topic:<28} {item.partition:>4} "
                       f"{item.position:>10} {item.lag:>8}")
    finally:
        services.close()


@click.command()
@click.option("--partitions", default=6, show_default=True,
              help="Partitions per event topic: the most consumers of a group that share work.")
@click.option("--replication-factor", default=1, show_default=True)
def topics(partitions: int, replication_factor: int) -> None:
    """Create the event topics, their .dlq topics and the relay's park topic (idempotent)."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from lucy_events.bus.catalogue import TOPICS
    from lucy_events.bus.dead_letters import DLQ_SUFFIX
    from lucy_events.bus.kafka_settings import admin_settings
    from lucy_events.bus.relay import UNPUBLISHABLE_TOPIC

    services = cli_services()
    admin = KafkaAdminClient(**admin_settings(services.kafka_bootstrap()))
    wanted = [*TOPICS, *(t + DLQ_SUFFIX for t in TOPICS), UNPUBLISHABLE_TOPIC]
    try:
        existing = set(admin.list_topics())
        for name in wanted:
            if name in existing:
                click.echo(f"exists   {name}")
                continue
            try:
                admin.create_topics([NewTopic(name, partitions if name in TOPICS else 1,
                                              replication_factor)])
                click.echo(f"created  {name}")
            except TopicAlreadyExistsError:
                click.echo(f"exists   {name}")
    finally:
        admin.close()
        services.close()


COMMANDS = [relay, lag, topics]
