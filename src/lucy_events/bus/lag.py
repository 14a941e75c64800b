"""How far behind each consumer is.

Consumers of the notification log (the embedded default's handlers, and the relay) keep
their positions in ``lucy_positions``; their lag is the store's head minus that position.
Consumer groups on Kafka keep committed offsets in the broker; their lag per partition is
the partition's end offset minus the committed one (minus its start, while the group has
committed nothing there). Which consumers exist is never typed here: the caller passes the
handlers that really run (``Services.consumer_handlers``), and their names are the groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from lucy_events.bus import positions
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LOG_TOPIC
from lucy_events.sqldb import Database

if TYPE_CHECKING:
    from lucy_events.bus.kafka_lag import KafkaLag


@dataclass(frozen=True)
class Lag:
    consumer: str
    topic: str
    partition: int
    position: int
    lag: int


class Consumer(Protocol):
    """What the lag reader needs of a handler: its name (the group) and its topics."""

    @property
    def name(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


def store_lag(db: Database, head: int, expected: Iterable[str] = ()) -> list[Lag]:
    """Consumers of the notification log (and the relay), against the store's head; the
    ``expected`` consumers that have stored no position yet are reported at 0."""
    with db.transaction() as tx:
        positions.create_table(tx)
        rows = tx.execute(
            "SELECT consumer, topic, part, position FROM lucy_positions WHERE topic = :log "
            "ORDER BY consumer", {"log": LOG_TOPIC},
        )
    lags = [Lag(c, t, int(p), int(pos), max(0, head - int(pos))) for c, t, p, pos in rows]
    known = {lag.consumer for lag in lags}
    lags += [Lag(name, LOG_TOPIC, 0, 0, head) for name in expected if name not in known]
    return sorted(lags, key=lambda lag: lag.consumer)


@dataclass
class LagReader:
    """Every consumer that really runs, on whichever source feeds it: the store's log
    positions (the relay, the embedded handlers) and, with Kafka, the handlers' groups."""

    db: Database
    head: Callable[[], int]
    consumers: Sequence[Consumer]
    kafka: KafkaLag | None = None

    def read(self) -> list[Lag]:
        head = self.head()
        if self.kafka is None:
            return store_lag(self.db, head, [c.name for c in self.consumers])
        return store_lag(self.db, head) + self.kafka.groups(self.consumers)


def dead_letter_counts(db: Database) -> dict[str, int]:
    """Messages parked in the store per consumer (Kafka consumers park on DLQ topics)."""
    StoreDeadLetters(db).ensure_table()  # when nothing was ever parked
    with db.transaction() as tx:
        rows = tx.execute("SELECT consumer, COUNT(*) FROM lucy_dead_letters GROUP BY consumer")
    return {consumer: int(count) for consumer, count in rows}
