"""A replay's rows held in memory across batches, each written once when the span ends.

Live, a projection loads the rows a batch touches, folds the batch over them and writes
the changed ones back, every batch. A replay folds the whole history: a client's row
changes in nearly every batch and a document's in several, so written batch by batch
each is written many times, each time by an upsert. A span keeps the rows across
batches instead and writes them once when it is full (``limit`` rows) or the catch-up
ends: the rows new to the table by COPY, those loaded from it (written by an earlier
span) by the upsert. It remembers the keys it wrote to a fresh table, so it looks up only
those, not every new row's. Statements that change rows beyond the loaded ones (the dashboard's
staff and team names) run after them, in the order they were asked for.

Each batch folds over copies of its rows, and they replace the held ones only once the
whole batch was applied, as a transaction would: an event refused half-way (then parked
by the runtime) leaves nothing behind. The replay's positions still advance batch by
batch, ahead of the held rows; they are the replay's own (reset by ``Rebuild.start``) and
handed to the live projection only at the swap, after the last flush.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any

from lucy_events.projections.tables import Row, Table, select_rows, upsert_rows
from lucy_events.sqldb import Transaction

#: Keys of written rows a span remembers per table (``Span.written``): about 100 bytes
#: each, so at most a few hundred MB; a table with more is searched for keys not held.
MAX_WRITTEN = 2_000_000


class Span:
    def __init__(self, dialect: str, limit: int) -> None:
        self.dialect = dialect
        self.limit = limit
        self.held: dict[str, dict[str, Row]] = {}
        #: Keys of held rows the table already has (from an earlier span).
        self.stored: dict[str, set[str]] = {}
        self.changed: dict[str, set[str]] = {}
        self.later: list[tuple[str, list[dict[str, Any]]]] = []
        self.rows = 0
        #: Per table that was empty when first looked at (a replay's fresh ones), the keys
        #: of the rows written there since: a key neither held nor written is a new row,
        #: with nothing to look up (most of a replay's, spans after the first). None for
        #: a table with rows of its own, or whose keys outgrew ``MAX_WRITTEN``: then any
        #: key not held is searched for.
        self.written: dict[str, set[str] | None] = {}

    @property
    def full(self) -> bool:
        return self.rows >= self.limit

    def load(
        self, tx: Transaction, table: Table, physical: str, keys: Iterable[str]
    ) -> dict[str, Row]:
        """Copies of the rows of ``keys`` that exist, held or in the table."""
        held = self.held.setdefault(physical, {})
        wanted = set(keys)
        missing = wanted.difference(held)
        if missing:
            written = self._written(tx, physical)
            if written is not None:
                missing.intersection_update(written)
        if missing:
            found = select_rows(tx, self.dialect, table, physical, missing)
            held.update(found)
            self.stored.setdefault(physical, set()).update(found)
            self.rows += len(found)
        return {key: row.copy() for key in wanted if (row := held.get(key)) is not None}

    def _written(self, tx: Transaction, physical: str) -> set[str] | None:
        if physical not in self.written:
            empty = not tx.execute(f"SELECT 1 FROM {physical} LIMIT 1")
            self.written[physical] = set() if empty else None
        return self.written[physical]

    def save(self, physical: str, rows: Mapping[str, Row]) -> None:
        """Hold these (changed) rows, by key, until the span is written."""
        held = self.held.setdefault(physical, {})
        before = len(held)  # counting what is new, without a set of the new keys
        held.update(rows)
        self.rows += len(held) - before
        self.changed.setdefault(physical, set()).update(rows)

    def run_later(self, sql: str, params: list[dict[str, Any]]) -> None:
        if params:
            self.later.append((sql, params))

    def write(self, tx: Transaction, tables: Iterable[tuple[Table, str]]) -> None:
        """Write every changed row once, then the statements run later."""
        for table, physical in tables:
            held = self.held.get(physical, {})
            stored = self.stored.get(physical, set())
            changed = sorted(self.changed.get(physical, ()))
            new = [key for key in changed if key not in stored]
            columns = table.column_names
            values = itemgetter(*columns)  # a row's values in C, not a comprehension
            tx.insert_rows(physical, columns, (values(held[key]) for key in new))
            upsert_rows(tx, self.dialect, table, physical,
                        [held[key] for key in changed if key in stored])
            written = self.written.get(physical)
            if written is not None:
                written.update(new)
                if len(written) > MAX_WRITTEN:
                    self.written[physical] = None
        for sql, params in self.later:
            tx.executemany(sql, params)

    def clear(self) -> None:
        self.held.clear()
        self.stored.clear()
        self.changed.clear()
        self.later.clear()
        self.rows = 0
