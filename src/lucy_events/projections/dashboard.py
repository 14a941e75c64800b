"""The client overview read model ("dashboard"): firm, client and document events in,
one row per client with every column of the dashboard out, plus staff and teams."""

from __future__ import annotations

from collections.abc import Sequence

from lucy_events.bus.catalogue import CLIENT_TOPIC, DOCUMENT_TOPIC, FIRM_TOPIC
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections import favourites
from lucy_events.projections.base import Projection
from lucy_events.projections.dashboard_fold import DashboardRows, keys_needed
from lucy_events.projections.dashboard_tables import (
    CLIENTS,
    DOCUMENTS,
    FIRMS,
    STAFF,
    TABLES,
    TEAMS,
)
from lucy_events.sqldb import Transaction

_ROWS_OF = (("firms", FIRMS), ("staff", STAFF), ("teams", TEAMS),
            ("clients", CLIENTS), ("documents", DOCUMENTS))


class DashboardProjection(Projection):
    base_name = "dashboard"
    folds_views = True
    tables = TABLES
    topics = (FIRM_TOPIC, CLIENT_TOPIC, DOCUMENT_TOPIC)

    def create_tables(self, tx: Transaction) -> None:
        super().create_tables(tx)
        favourites.create_table(tx)  # read by the client list; never rebuilt

    def apply(self, tx: Transaction, events: Sequence[FoldedEvent]) -> None:
        self.plan_for_fresh_tables(tx)
        keys = keys_needed(events)
        rows = DashboardRows()
        for attr, table in _ROWS_OF:
            setattr(rows, attr, self.load_rows(tx, table, getattr(keys, attr)))
        rows.apply_batch(events, keys)
        for attr, table in _ROWS_OF:
            held = getattr(rows, attr)
            self.save_rows(tx, table, {key: held[key] for key in rows.changed[attr]})
        clients = self.physical(CLIENTS)
        self.execute_after(
            tx, f"UPDATE {clients} SET firm_contact_name = :name WHERE firm_contact_id = :id",
            [{"id": k, "name": v} for k, v in rows.staff_names.items()],
        )
        self.execute_after(
            tx, f"UPDATE {clients} SET team_name = :name WHERE team_id = :id",
            [{"id": k, "name": v} for k, v in rows.team_names.items()],
        )
