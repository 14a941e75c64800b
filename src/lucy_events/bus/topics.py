"""The topics lucy-events publishes to, and the settings they are created with.

Why these settings (docs/operations-kafka.md says the same for ops):

- **Kept for good** (``retention.ms=-1``, ``retention.bytes=-1``): an integrator that joins
  late reads every event from the beginning, as a new read model does. The event store
  stays the source of truth (``lucy-events republish`` fills a lost topic again), but the
  topics are the integrators' only copy. The ``.dlq`` topics are kept for good too: a
  parked message must be replayed or discarded by someone, never expire unseen.
- **Acknowledged by two replicas**: the relay produces with ``acks=all``, which means "every
  in-sync replica"; ``min.insync.replicas=2`` (with a replication factor of 3) is what
  makes that two copies, so a record survives the loss of a broker. With fewer replicas the
  minimum is the replication factor itself. ``unclean.leader.election.enable=false``: an
  out-of-date replica never becomes leader (it would drop acknowledged records).
- **The Kafka timestamp is the publish time** (``message.timestamp.type=CreateTime``, set
  by the relay's producer when it sends); the event's own time is ``occurred_at`` in the
  envelope.
- **Replication factor 3 by default**, as the README's production example; a factor above
  the number of brokers is refused before anything is created.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kafka import KafkaAdminClient
from kafka.errors import TopicAlreadyExistsError

from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.dead_letters import DLQ_SUFFIX

DEFAULT_REPLICATION_FACTOR = 3
DEFAULT_PARTITIONS = 6


class TooFewBrokers(Exception):
    """Raised when the replication factor asked for is above the cluster's broker count:
    create the topics with a factor the cluster can hold, or add brokers first."""


@dataclass(frozen=True)
class TopicPlan:
    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str] = field(default_factory=dict)


def topic_configs(replication_factor: int) -> dict[str, str]:
    return {
        "retention.ms": "-1",
        "retention.bytes": "-1",
        "cleanup.policy": "delete",
        "min.insync.replicas": str(min(2, replication_factor)),
        "unclean.leader.election.enable": "false",
        "message.timestamp.type": "CreateTime",
    }


def planned_topics(partitions: int = DEFAULT_PARTITIONS,
                   replication_factor: int = DEFAULT_REPLICATION_FACTOR) -> list[TopicPlan]:
    """The event topics (``partitions`` each: the most consumers of a group that share the
    work) and their ``.dlq`` topics (one partition: parking is rare and ordered)."""
    if partitions < 1:
        raise ValueError(f"--partitions must be at least 1, got {partitions}")
    if replication_factor < 1:
        raise ValueError(f"--replication-factor must be at least 1, got {replication_factor}")
    configs = topic_configs(replication_factor)
    return [
        *(TopicPlan(t, partitions, replication_factor, configs) for t in TOPICS),
        *(TopicPlan(t + DLQ_SUFFIX, 1, replication_factor, configs) for t in TOPICS),
    ]


def broker_count(admin: KafkaAdminClient) -> int:
    return len(admin.describe_cluster()["brokers"])


def create_topics(admin: KafkaAdminClient, plans: list[TopicPlan]) -> Iterator[tuple[str, str]]:
    """Create what is missing; yields ``(name, "created" | "exists")``. Refuses the whole
    plan, before creating anything, when a replication factor is above the broker count."""
    brokers = broker_count(admin)
    for plan in plans:
        if plan.replication_factor > brokers:
            raise TooFewBrokers(
                f"replication factor {plan.replication_factor} is more than the {brokers} "
                f"broker(s) of the cluster: pass --replication-factor {brokers} (or fewer), "
                f"or add brokers first; nothing was created")
    existing = set(admin.list_topics())
    for plan in plans:
        if plan.name in existing:
            yield plan.name, "exists"
            continue
        try:
            admin.create_topics({plan.name: {
                "num_partitions": plan.partitions,
                "replication_factor": plan.replication_factor,
                "configs": plan.configs,
            }})
        except TopicAlreadyExistsError:  # created meanwhile by another run
            yield plan.name, "exists"
        else:
            yield plan.name, "created"
