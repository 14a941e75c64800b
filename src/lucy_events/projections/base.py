"""What every read model shares: its tables, and where a replay builds them.

A projection is a ``TrackedHandler``: its writes and its source positions commit in
one transaction. Each row also remembers the version of the aggregate it was last
changed by, and older or equal versions are skipped, so an event applied twice (a batch
redelivered, or the moment a replay swaps its tables in) has no second effect.
"""

from __future__ import annotations

from typing import ClassVar

from lucy_events.bus.tracked import TrackedHandler
from lucy_events.projections.ddl import create_table, ensure_indexes
from lucy_events.projections.tables import Table
from lucy_events.sqldb import Database, Transaction

#: Suffix of the tables a replay fills before they are swapped in.
REBUILD_SUFFIX = "_next"
#: Suffix of the consumer name under which a replay tracks its own positions.
REBUILD_CONSUMER = ":rebuild"


class Projection(TrackedHandler):
    base_name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]

    def __init__(self, db: Database, *, rebuilding: bool = False) -> None:
        super().__init__(db)
        self.rebuilding = rebuilding
        self.suffix = REBUILD_SUFFIX if rebuilding else ""
        self.name = self.base_name + (REBUILD_CONSUMER if rebuilding else "")

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
