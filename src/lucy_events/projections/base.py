"""What every read model shares: its tables, and where a replay builds them.

A projection is a ``TrackedHandler``: its writes and its source positions commit in
one transaction. Each row also remembers the version of the aggregate it was last
changed by, and older or equal versions are skipped, so an event applied twice (a batch
redelivered, or the moment a replay swaps its tables in) has no second effect.

Projections read and write their rows through ``load_rows``, ``save_rows`` and
``execute_after``: live, straight from and to the tables within the batch's
transaction; during a replay's catch-up (``hold_rows``), through a ``Span`` that keeps
them across batches and writes each once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from lucy_events.bus import positions
from lucy_events.bus.records import FoldedEvent
from lucy_events.bus.runtime import Delivery
from lucy_events.bus.tracked import TrackedHandler
from lucy_events.projections.ddl import create_table, ensure_indexes
from lucy_events.projections.span import Span
from lucy_events.projections.tables import Row, Table, select_rows, upsert_rows
from lucy_events.sqldb import Database, Transaction

#: Suffix of the tables a replay fills before they are swapped in.
REBUILD_SUFFIX = "_next"
#: Suffix of the consumer name under which a replay tracks its own positions.
REBUILD_CONSUMER = ":rebuild"


class Projection(TrackedHandler):
    base_name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    #: Whether ``apply`` folds any ``FoldedEvent``: a replay then hands it the stored
    #: events' views (``bus.stored_views``) rather than BusEvents (``handle_views``).
    folds_views: ClassVar[bool] = False

    def __init__(self, db: Database, *, rebuilding: bool = False) -> None:
        super().__init__(db)
        self.rebuilding = rebuilding
        self.suffix = REBUILD_SUFFIX if rebuilding else ""
        self.name = self.base_name + (REBUILD_CONSUMER if rebuilding else "")
        self.span: Span | None = None

    def physical(self, table: Table) -> str:
        """The name of the table this instance writes (the live one, or the next)."""
        return table.name + self.suffix

    def create_tables(self, tx: Transaction) -> None:
        if self.db.dialect == "postgresql":
            # CREATE TABLE IF NOT EXISTS is not safe against itself: consumers starting
            # at the same moment take turns.
            tx.execute("SELECT pg_advisory_xact_lock(hashtext('lucy_events.projections'))")
        for table in self.tables:
            # A replay's fresh tables get their indexes once full (``create_indexes``).
            create_table(tx, self.db.dialect, table, self.physical(table),
                         indexes=not self.rebuilding)

    def plan_for_fresh_tables(self, tx: Transaction) -> None:
        """A replay's statements are prepared once and run on tables that grow from
        nothing; PostgreSQL's generic plan for them, made while a table was empty, scans
        it whole for every batch (a rebuild ran five times slower). Plan each time."""
        if self.rebuilding and self.db.dialect == "postgresql":
            tx.execute("SET LOCAL plan_cache_mode = force_custom_plan")

    def create_indexes(self) -> None:
        """Index the tables (a replay does, once it has filled them)."""
        with self.db.transaction() as tx:
            for table in self.tables:
                ensure_indexes(tx, self.db.dialect, table, self.physical(table))

    def load_rows(self, tx: Transaction, table: Table, keys: Iterable[str]) -> dict[str, Row]:
        """The rows of ``keys`` that exist, by key, to fold a batch over."""
        if self.span is not None:
            return self.span.load(tx, table, self.physical(table), keys)
        return select_rows(tx, self.db.dialect, table, self.physical(table), keys)

    def save_rows(self, tx: Transaction, table: Table, rows: Mapping[str, Row]) -> None:
        """Write the rows a batch changed (by key)."""
        if self.span is not None:
            self.span.save(self.physical(table), rows)
        else:
            upsert_rows(tx, self.db.dialect, table, self.physical(table),
                        [rows[key] for key in sorted(rows)])

    def execute_after(self, tx: Transaction, sql: str, params: list[dict[str, Any]]) -> None:
        """Run a statement over rows beyond those loaded, once the saved rows are written."""
        if self.span is not None:
            self.span.run_later(sql, params)
        elif params:
            tx.executemany(sql, params)

    def hold_rows(self, limit: int) -> None:
        """From now on keep rows across batches and write them once ``limit`` are held
        (a replay's catch-up; see ``span``)."""
        self.span = Span(self.db.dialect, limit)

    def release_rows(self) -> None:
        """Write what is held and go back to writing every batch."""
        self.flush()
        self.span = None

    def flush(self) -> None:
        span = self.span
        if span is None or not (span.changed or span.later):
            return
        with self.db.transaction() as tx:
            self.plan_for_fresh_tables(tx)
            span.write(tx, [(table, self.physical(table)) for table in self.tables])
        span.clear()

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        if self.span is not None and self.span.full:
            self.flush()  # before the batch: a failed write leaves the span as it was
        super().handle(deliveries)

    def handle_views(self, views: Sequence[FoldedEvent], first: positions.Positions,
                     last: positions.Positions) -> bool:
        """``handle`` for a replay that read a batch itself (``folds_views``): its events in
        order, the first at ``first``, every one for this projection; ``last``: how far
        they and the read took it. Applies them in one transaction with those positions,
        as ``handle`` does; False, having applied nothing, when the batch was processed
        before, in part or whole (``handle`` then sorts it out, event by event). Raises
        what ``apply`` raises, the transaction rolled back and the held rows as they were.

        A rebuild's tables and positions are its own, dropped and reset when it starts
        again, and handed over only at its swap (after a write that waits): its positions
        are saved ``redoable``, so their transaction does not wait for the disk."""
        if self.span is not None and self.span.full:
            self.flush()
        self.ensure_tables()
        with self.db.transaction() as tx:
            done = positions.load(tx, self.name)
            if any(offset <= done.get(key, -1) for key, offset in first.items()):
                return False
            if self.event_types is not None:
                views = [v for v in views if v.type in self.event_types]
            if views:
                # Only a projection whose apply folds FoldedEvents gets here (folds_views).
                self.apply(tx, views)  # type: ignore[arg-type]
            (positions.save_redoable if self.rebuilding else positions.save)(
                tx, self.name, last)
        return True
