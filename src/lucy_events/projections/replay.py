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
from dataclasses import dataclass, field, replace

import structlog

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.faults import Fault, classify
from lucy_events.bus.log_source import LOG_TOPIC, LogSource
from lucy_events.bus.runtime import Batch, ConsumerRuntime, Undecodable
from lucy_events.bus.stored_views import StoredRow, StoredView, notification_of, stored_views
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
class Read:
    """A batch of the log as the read-ahead read it: its events' views, or (None) the
    deliveries of a batch for the live way."""

    events: int
    scanned: positions.Positions
    views: list[StoredView] | None
    batch: Batch | None
    rows: list[StoredRow] = field(default_factory=list)
    #: How far the log was read with it, and its head then (for the progress).
    through: int = 0
    head: int = 0

    def __len__(self) -> int:
        return self.events

    def deliveries(self, source: LogSource) -> Batch:
        """The batch for the live way (made of the views' stored events if need be)."""
        if self.batch is not None:
            return self.batch
        return source.batch_of([notification_of(row) for row in self.rows], self.scanned)


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
                 span_rows: int = SPAN_ROWS, live_reads_log: bool = True,
                 fold_views: bool = True) -> None:
        cls = projection_class(projection_name)
        self.db, self.app, self.batch_size, self.span_rows = db, app, batch_size, span_rows
        self.live_reads_log = live_reads_log
        self.live = cls(db)
        #: Whether the catch-up hands the projection the stored events' views (when it
        #: folds them) rather than deliveries of BusEvents: the same rows, less work.
        self.fold_views = fold_views and cls.folds_views
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
        self.read_ahead = ReadAhead(self._read)
        self.runtime = ConsumerRuntime(self.source, self.next, self.dead_letters,
                                       batch_size=self.batch_size, poll_timeout=0)

    def _read(self) -> Read:
        """The next batch of the log (in the read-ahead thread): the events' views for a
        projection that folds them, else (or when one of them has none) the deliveries."""
        source = self.source
        if not self.fold_views:
            notifications, scanned = source.read(self.batch_size)
            return Read(len(notifications), scanned, None,
                        source.batch_of(notifications, scanned),
                        through=source.cursor, head=source.head)
        rows, scanned = source.read_rows(self.batch_size)
        views = stored_views(rows, self.app.mapper) if rows else None
        read = Read(len(rows), scanned, views, None, rows, source.cursor, source.head)
        return read if views is not None else replace(read, batch=read.deliveries(self.source))

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
                while read := self.runtime.ride_out(self.read_ahead.next):
                    if read.views is None or not self._fold(read.views, read.scanned):
                        self.runtime.process(read.deliveries(self.source))
                    seen += len(read)
                    # As the read found them: two queries a batch cost more than the
                    # batch's commit (docs/benchmarks.md, Read-model rebuild, session 11).
                    self.progress(read.through, read.head)
                if read.scanned:  # the end: how far it looked, past events not for it
                    self.runtime.process(Batch(scanned=read.scanned))
        finally:
            self.read_ahead.stop()  # it has stopped by itself, unless something failed
        self.next.release_rows()
        self.events += seen
        return seen

    def _fold(self, views: list[StoredView], scanned: positions.Positions) -> bool:
        """Apply a batch of views and commit its positions, as the runtime would the
        batch's deliveries and then the source its commit (how far it looked, too), in
        one transaction; False, with nothing applied, when the live way must take it:
        processed before in part, an event refused (the runtime finds and parks it) or
        an outage (the runtime waits it out). A bug is raised."""
        first = {(LOG_TOPIC, 0): views[0].notification_id}
        last = {**scanned, (LOG_TOPIC, 0): max(views[-1].notification_id,
                                               scanned.get((LOG_TOPIC, 0), -1))}
        try:
            return self.next.handle_views(views, first, last)
        except Exception as error:
            if classify(error) is Fault.BUG:
                raise
            return False

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
    live_reads_log: bool = True, fold_views: bool = True,
) -> RebuildResult:
    """Rebuild the named read model from the event store and swap it in atomically."""
    run = Rebuild(db, app, projection_name, progress=progress, batch_size=batch_size,
                  span_rows=span_rows, live_reads_log=live_reads_log, fold_views=fold_views)
    run.start()
    run.catch_up()
    return run.swap()
