"""Favourite clients per staff member: a personal preference of the dashboard.

Not a business fact, so not an event: nothing else reacts to it, nobody audits it, and
a replay of the read models must not lose it. It lives in its own table, written
directly, and the client list reads it to put the viewer's favourites on top.
"""

from __future__ import annotations

import weakref
from uuid import UUID

from lucy_events.sqldb import Database, Transaction

TABLE = "dashboard_favourites"
SCHEMA = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    staff_id TEXT NOT NULL, client_id TEXT NOT NULL, PRIMARY KEY (staff_id, client_id))"""


_READY: weakref.WeakSet[Database] = weakref.WeakSet()


def create_table(tx: Transaction) -> None:
    tx.execute(SCHEMA)


def _ensure(db: Database) -> None:
    if db not in _READY:
        with db.transaction() as tx:
            create_table(tx)
        _READY.add(db)


def add_favourite(db: Database, staff_id: UUID, client_id: UUID) -> None:
    """Mark the client as a favourite of the staff member (again is harmless)."""
    _ensure(db)
    with db.transaction() as tx:
        tx.execute(
            f"INSERT INTO {TABLE} (staff_id, client_id) VALUES (:staff_id, :client_id) "
            "ON CONFLICT (staff_id, client_id) DO NOTHING",
            {"staff_id": str(staff_id), "client_id": str(client_id)},
        )


def remove_favourite(db: Database, staff_id: UUID, client_id: UUID) -> None:
    """No longer a favourite (removing one that is not is harmless)."""
    _ensure(db)
    with db.transaction() as tx:
        tx.execute(
            f"DELETE FROM {TABLE} WHERE staff_id = :staff_id AND client_id = :client_id",
            {"staff_id": str(staff_id), "client_id": str(client_id)},
        )


def favourites(db: Database, staff_id: UUID) -> set[UUID]:
    _ensure(db)
    with db.transaction() as tx:
        rows = tx.execute(
            f"SELECT client_id FROM {TABLE} WHERE staff_id = :staff_id",
            {"staff_id": str(staff_id)},
        )
    return {UUID(client_id) for (client_id,) in rows}
