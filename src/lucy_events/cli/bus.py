"""``lucy-events relay``, ``lag``, ``topics`` and ``republish``: the outbox relay to Kafka,
where consumers are, the topics and filling them again."""

from __future__ import annotations

import click

from lucy_events.cli.common import services as cli_services
from lucy_events.cli.stopping import stop_on_signals


@click.command()
@click.option("--batch-size", default=1000, show_default=True, help="Events per produce batch.")
def relay(batch_size: int) -> None:
    """Publish the event store to Kafka (LUCY_KAFKA_BOOTSTRAP), resuming where it stopped.
    One relay is active at a time; another one started waits as a hot standby."""
    from lucy_events.bus.relay import UnpublishableEvent
    from lucy_events.bus.relay_leader import run_relay_as_leader

    services = cli_services()
    services.serve_metrics()
    try:
        run_relay_as_leader(services.relay_lock(),
                            lambda: services.relay(batch_size=batch_size), stop_on_signals())
    except UnpublishableEvent as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@click.command()
def lag() -> None:
    """How far behind the relay and each consumer are: the relay and in-process consumers
    against the event store's head; with LUCY_KAFKA_BOOTSTRAP, each handler's consumer
    group against the end of its topics' partitions."""
    from kafka.errors import KafkaError

    services = cli_services()
    try:
        try:
            lags = services.lag_reader().read()
        except KafkaError as error:
            raise click.ClickException(
                f"cannot read the consumer groups' offsets from {services.kafka_bootstrap()} "
                f"({type(error).__name__}: {error})") from None
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
@click.option("--replication-factor", default=3, show_default=True,
              help="Copies of each partition; at most the number of brokers.")
def topics(partitions: int, replication_factor: int) -> None:
    """Create the event topics and their .dlq topics with explicit settings (kept for
    good, min.insync.replicas=2 with 3 replicas); idempotent."""
    from kafka.errors import KafkaError

    from lucy_events.bus.topics import TooFewBrokers, create_topics, planned_topics

    services = cli_services()
    try:
        plans = planned_topics(partitions, replication_factor)
        for name, outcome in create_topics(services.kafka_admin(), plans):
            click.echo(f"{outcome:<8} {name}")
    except (TooFewBrokers, ValueError) as error:
        raise click.ClickException(str(error)) from None
    except KafkaError as error:
        raise click.ClickException(f"the brokers at {services.kafka_bootstrap()} answered "
                                   f"{type(error).__name__}: {error}") from None
    finally:
        services.close()


@click.command()
@click.option("--from-position", "start", type=click.IntRange(min=1), required=True,
              help="The first notification id (the store's global order) to publish again.")
@click.option("--topic", default=None, help="Only the events of this topic.")
def republish(start: int, topic: str | None) -> None:
    """Publish stored events again, from a position up to the store's head, encoded as the
    relay does: for an integrator who joins late or a topic that was lost. The relay's own
    position does not move; consumers see duplicates and skip them by event-id."""
    from kafka.errors import KafkaError

    from lucy_events.bus.avro import AvroCodec
    from lucy_events.bus.relay import UnpublishableEvent
    from lucy_events.bus.relay_records import InlineReader
    from lucy_events.bus.republish import republish as publish_again

    services = cli_services()
    try:
        counts = publish_again(InlineReader(services.app, AvroCodec()),
                               services.kafka_producer, start, topic=topic,
                               head=services.store_head())
    except (UnpublishableEvent, ValueError) as error:
        raise click.ClickException(str(error)) from None
    except KafkaError as error:
        raise click.ClickException(f"the brokers at {services.kafka_bootstrap()} answered "
                                   f"{type(error).__name__}: {error}") from None
    finally:
        services.close()
    for name, count in sorted(counts.items()):
        click.echo(f"republished {count:>8} {name}")
    if not counts:
        click.echo("nothing to republish")


COMMANDS = [relay, lag, topics, republish]
