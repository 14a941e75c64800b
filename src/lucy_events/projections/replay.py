"""Rebuild a read model from the event store into fresh tables, then swap them in.

The rebuild fills ``<table>_next`` and tracks its positions as ``<name>:rebuild`` while
the live projection and its readers go on with the live tables; the fresh tables are
indexed once full, which is quicker than indexing row by row. Once it has caught up,
one transaction locks the live tables, applies the last few events, drops the live
tables, renames the fresh ones into their place and hands the positions over. Readers
see the old tables up to that commit and the new ones after it.

A live projection that was between batches at the swap may apply events the rebuild
already holds; every row remembers its aggregate's version, so they have no effect.
Run one rebuild of a given read model at a time.

The hand-over of positions keeps lag true. A live projection fed by the log takes the
rebuild's log position. One fed by Kafka (``live_reads_log=False``) keeps its consumer
group's committed offsets: it goes on from there and skips, by version, what the rebuild
already applied, so the group's lag is what it really has left to read; a log position
under its name would be one nothing ever moves again (false lag for good), so none is
kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LOG_TOPIC, LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Undecodable
from lucy_events.gc_pause import collector_paused
from lucy_events.projections.catalogue import projection_class
from lucy_events.projections.ddl import table_exists
from lucy_events.projections.prefetch import ReadAhead
from lucy_events.sqldb import Database, Transaction

log = structlog.get_logger()

#: Called with (last notification id applied, head of the notification log).
Progress = Callable[[int, int], None]
#: Rows a catch-up holds in memory before writing them (``span``): a few tens of MB.
SPAN_ROWS = 20_000
#: Events a catch-up reads and folds at a time (the read-ahead holds two more batches: some
#: 50 MB). Each batch pays for itself once: its transaction and positions, the rows it
#: touches looked up and copied (a client's row changes in nearly every batch). 10,000
#: cost a fifth less CPU an event than 2,000 (docs/benchmarks.md, Read-model rebuild,
#: session 8).
BATCH_EVENTS = 10_000


@dataclass(frozen=True)
class RebuildResult:
    projection: str
    events: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class Rebuild:
    """The steps of ``rebuild``, apart, so a caller (or a test) can act between them."""

    def __init__(self, db: Database, app: LucyApplication, projection_name: str, *,
                 progress: Progress | None = None, batch_size: int = BATCH_EVENTS,
                 span_rows: int = SPAN_ROWS, live_reads_log: bool = True) -> None:
        cls = projection_class(projection_name)
        self.db, self.app, self.batch_size, self.span_rows = db, app, batch_size, span_rows
        self.live_reads_log = live_reads_log
        self.live = cls(db)
        self.next = cls(db, rebuilding=True)
        self.progress = progress or (lambda done, head: None)
        self.dead_letters = StoreDeadLetters(db)
        self.started = time.perf_counter()
        self.events = 0

    def start(self) -> None:
        """Begin afresh: no tables or positions of an earlier, unfinished rebuild."""
        with self.db.transaction() as tx:
            for table in self.next.tables:
                tx.execute(f"DROP TABLE IF EXISTS {self.next.physical(table)}")
            positions.create_table(tx)
            positions.reset(tx, self.next.name)
        self.next.ensure_tables()
        # Its own wake-up event: the rebuild must not swallow the live consumers' ones.
        self.source = LogSource(self.app, self.db, self.next.name, self.next.topics,
                                wakeup=threading.Event())
        self.read_ahead = ReadAhead(self.source, self.batch_size)
        self.runtime = ConsumerRuntime(self.read_ahead, self.next, self.dead_letters,
                                       batch_size=self.batch_size, poll_timeout=0)

    def catch_up(self) -> int:
        """Apply every event stored so far to the fresh tables; returns how many."""
        seen = 0
        self.next.hold_rows(self.span_rows)
        try:
            # A catch-up ends, and what it allocates forms no cycles: the batches are freed
            # by reference counting, the span holds at most ``span_rows`` rows. Even spaced
            # out (``fewer_collections``), the cyclic collector took a sixth of its CPU
            # (docs/benchmarks.md, Read-model rebuild, session 6); it runs again after.
            with collector_paused():
                while step := self.runtime.step():
                    seen += step
                    done = self.next.position(LOG_TOPIC, 0) or 0
                    self.progress(done, self.app.recorder.max_notification_id() or 0)
        finally:
            self.read_ahead.stop()  # it has stopped by itself, unless something failed
        self.next.release_rows()
        self.events += seen
        return seen

    def swap(self) -> RebuildResult:
        """Index the fresh tables, apply the last events and put the fresh tables in the
        live ones' place."""
        self.next.release_rows()  # written by the catch-up already, unless it failed
        self.next.create_indexes()  # before the lock: readers go on meanwhile
        parked: list[Undecodable] = []
        with self.db.transaction() as tx:
            self._lock_live_tables(tx)
            done = self._apply_the_rest(tx, parked)
            for table in self.live.tables:
                tx.execute(f"DROP TABLE IF EXISTS {self.live.physical(table)}")
                tx.execute(f"ALTER TABLE {self.next.physical(table)} "
                           f"RENAME TO {self.live.physical(table)}")
            self._hand_over(tx, done)
            positions.reset(tx, self.next.name)
        for item in parked:
            self.dead_letters.park_undecodable(item, self.live.name)
        self.progress(self.source.cursor, self.source.cursor)
        result = RebuildResult(self.live.name, self.events,
                               time.perf_counter() - self.started)
        log.info("read model rebuilt", projection=result.projection, events=result.events,
                 seconds=round(result.seconds, 3))
        return result

    def _hand_over(self, tx: Transaction, done: positions.Positions) -> None:
        if self.live_reads_log:
            live = positions.load(tx, self.live.name)
            positions.save(tx, self.live.name, {
                key: max(offset, live.get(key, -1)) for key, offset in done.items()})
        else:
            tx.execute("DELETE FROM lucy_positions WHERE consumer = :consumer AND topic = :log",
                       {"consumer": self.live.name, "log": LOG_TOPIC})

    def _lock_live_tables(self, tx: Transaction) -> None:
        """Keep the live projection (and readers) out until the swap commits. SQLite
        already serialises writers; PostgreSQL needs the lock, and needs it before the
        live projection can read rows it would then write back into the fresh tables."""
        if self.db.dialect != "postgresql":
            return
        live = [self.live.physical(t) for t in self.live.tables
                if table_exists(tx, self.db.dialect, self.live.physical(t))]
        if live:
            tx.execute(f"LOCK TABLE {', '.join(live)} IN ACCESS EXCLUSIVE MODE")

    def _apply_the_rest(
        self, tx: Transaction, parked: list[Undecodable]
    ) -> positions.Positions:
        done = positions.load(tx, self.next.name)
        while batch := self.source.poll(self.batch_size, 0):
            fresh = [d.event for d in batch.deliveries
                     if d.position.offset > done.get((d.position.topic, d.position.partition), -1)]
            if fresh:
                self.next.apply(tx, fresh)
            parked.extend(batch.undecodable)
            for key, offset in batch.last_positions().items():
                done[key] = max(offset, done.get(key, -1))
            self.events += len(fresh)
        return done


def rebuild(
    db: Database, app: LucyApplication, projection_name: str,
    progress: Progress | None = None, *, batch_size: int = BATCH_EVENTS, span_rows: int = SPAN_ROWS,
    live_reads_log: bool = True,
) -> RebuildResult:
    """Rebuild the named read model from the event store and swap it in atomically."""
    run = Rebuild(db, app, projection_name, progress=progress, batch_size=batch_size,
                  span_rows=span_rows, live_reads_log=live_reads_log)
    run.start()
    run.catch_up()
    return run.swap()
