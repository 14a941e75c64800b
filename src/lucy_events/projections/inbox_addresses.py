"""The inbox addresses read model ("inbox_addresses"): which client an address's local
part names, for the SMTP intake's RCPT check.

The local part is derived from the ClientCreated event alone (``aggregates.inbox``),
so this table is a pure function of the client events and a replay rebuilds it. The
SMTP intake reads it (its own process reads the same read database the projector
group writes); a client created a moment ago may not be here yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from lucy_events.aggregates.inbox import inbox_local_part
from lucy_events.bus.catalogue import CLIENT_TOPIC
from lucy_events.bus.records import BusEvent
from lucy_events.projections.base import Projection
from lucy_events.projections.tables import Table, upsert_rows
from lucy_events.sqldb import Database, Transaction

INBOX_ADDRESSES = Table(
    "inbox_addresses",
    (("local_part", "text"), ("client_id", "text"), ("firm_id", "text"), ("version", "int")),
    key=("local_part",),
)


class InboxAddressesProjection(Projection):
    base_name = "inbox_addresses"
    tables = (INBOX_ADDRESSES,)
    topics = (CLIENT_TOPIC,)
    event_types = frozenset({"ClientCreated"})

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        self.plan_for_fresh_tables(tx)
        rows = [
            {"local_part": inbox_local_part(e.data["name"], e.aggregate_id),
             "client_id": str(e.aggregate_id), "firm_id": str(e.firm_id),
             "version": e.aggregate_version}
            for e in events if e.type == "ClientCreated"
        ]
        upsert_rows(tx, self.db.dialect, INBOX_ADDRESSES, self.physical(INBOX_ADDRESSES), rows)


def client_of_local_part(db: Database, local_part: str) -> tuple[UUID, UUID] | None:
    """(firm id, client id) of the inbox with this local part, or None."""
    with db.transaction() as tx:
        found = list(tx.execute(
            "SELECT firm_id, client_id FROM inbox_addresses WHERE local_part = :local_part",
            {"local_part": local_part},
        ))
    if not found:
        return None
    return UUID(found[0][0]), UUID(found[0][1])
