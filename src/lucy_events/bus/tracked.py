"""A handler that writes to SQL and stores its source positions in the same transaction.

A batch delivered again after a crash (Kafka redelivers what was not committed) finds
its positions already stored and has no second effect.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence

from lucy_events.bus import positions
from lucy_events.bus.records import BusEvent
from lucy_events.bus.runtime import Delivery, Handler, message_context
from lucy_events.sqldb import Database, Transaction


class TrackedHandler(Handler):
    #: The event types ``apply`` needs; the others are skipped without being decoded
    #: (their positions still count as processed). None: every event.
    event_types: frozenset[str] | None = None

    def __init__(self, db: Database) -> None:
        self.db = db
        self._tables_ready = False

    def create_tables(self, tx: Transaction) -> None:
        """Create the handler's own tables (idempotently)."""

    @abstractmethod
    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        """Apply new events, in order, inside the transaction that stores the positions."""

    def ensure_tables(self) -> None:
        if not self._tables_ready:
            with self.db.transaction() as tx:
                positions.create_table(tx)
                self.create_tables(tx)
            self._tables_ready = True

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        self.ensure_tables()
        with self.db.transaction() as tx:
            done = positions.load(tx, self.name)
            fresh: list[Delivery] = []
            latest: positions.Positions = {}
            wanted = self.event_types
            for delivery in deliveries:
                topic, partition, offset = delivery.position
                key = (topic, partition)
                # The latest of this batch, else the stored one (a latest is past it).
                last = latest.get(key)
                if offset <= (done.get(key, -1) if last is None else last):
                    continue  # processed before (redelivered after a crash or rebalance)
                latest[key] = offset
                if wanted is None or delivery.event_type in wanted:
                    fresh.append(delivery)
            if not fresh:
                positions.save(tx, self.name, latest)
                return
            if len(fresh) == 1:
                with message_context(fresh[0]):
                    self.apply(tx, [fresh[0].event])
            else:
                self.apply(tx, [d.event for d in fresh])
            positions.save(tx, self.name, latest)

    def replay(self, delivery: Delivery, claim: Callable[[Transaction], bool]) -> bool:
        """Apply a parked message again, in the transaction that ``claim`` takes it out
        of the dead letters: a second replay finds nothing to claim and has no effect.
        Positions stay where they are (the consumer went on past it long ago)."""
        self.ensure_tables()
        with self.db.transaction() as tx:
            if not claim(tx):
                return False
            if self.event_types is None or delivery.event_type in self.event_types:
                with message_context(delivery):
                    self.apply(tx, [delivery.event])
        return True

    def position(self, topic: str, partition: int) -> int | None:
        self.ensure_tables()
        with self.db.transaction() as tx:
            return positions.load(tx, self.name).get((topic, partition))
