"""The inbox addresses read model ("inbox_addresses"): which client an address's local
part names, for the SMTP intake's RCPT check, and what the intake's decision reads about
that client: its allowed senders.

The local part is derived from the ClientCreated event alone (``aggregates.inbox``);
the allowed senders come from AllowedSendersChanged. Every other client event moves the
row's ``version`` on, so the row says which version of the client it reflects: the
intake compares it with the event store's before it trusts the row (``intake.
allowed_senders``). A pure function of the client events: a replay rebuilds it.

``allowed_senders`` is NULL in rows made before the column existed (until a replay):
the intake then asks the event store, as it does whenever the row is behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import orjson

from lucy_events.aggregates.inbox import inbox_local_part
from lucy_events.bus.catalogue import CLIENT_TOPIC
from lucy_events.bus.records import BusEvent
from lucy_events.projections.base import Projection
from lucy_events.projections.ddl import ensure_indexes
from lucy_events.projections.tables import Index, Table
from lucy_events.sqldb import Database, Transaction

INBOX_ADDRESSES = Table(
    "inbox_addresses",
    (("local_part", "text"), ("client_id", "text"), ("firm_id", "text"), ("version", "int"),
     ("allowed_senders", "text")),
    key=("local_part",),
    indexes=(Index("client", "client_id"),),
)


class InboxAddressesProjection(Projection):
    base_name = "inbox_addresses"
    tables = (INBOX_ADDRESSES,)
    topics = (CLIENT_TOPIC,)
    #: Every client event: each one moves the row's version on (see the docstring).
    event_types = None

    def create_tables(self, tx: Transaction) -> None:
        super().create_tables(tx)
        # Each event after ClientCreated finds its row by the client id, during a replay
        # too: so this table has its index from the start, not only once it is full.
        ensure_indexes(tx, self.db.dialect, INBOX_ADDRESSES, self.physical(INBOX_ADDRESSES))

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        self.plan_for_fresh_tables(tx)
        table = self.physical(INBOX_ADDRESSES)
        for event in events:
            client_id, version = str(event.aggregate_id), event.aggregate_version
            if event.type == "ClientCreated":
                # A row that exists came from this event already (or a later one).
                tx.execute(
                    f"INSERT INTO {table} (local_part, client_id, firm_id, version, "
                    "allowed_senders) VALUES (:local_part, :client_id, :firm_id, :version, "
                    "'[]') ON CONFLICT (local_part) DO NOTHING",
                    {"local_part": inbox_local_part(event.data["name"], event.aggregate_id),
                     "client_id": client_id, "firm_id": str(event.firm_id),
                     "version": version})
            elif event.type == "AllowedSendersChanged":
                tx.execute(
                    f"UPDATE {table} SET allowed_senders = :senders, version = :version "
                    "WHERE client_id = :client_id AND version < :version",
                    {"senders": orjson.dumps(list(event.data["senders"])).decode(),
                     "client_id": client_id, "version": version})
            else:
                tx.execute(
                    f"UPDATE {table} SET version = :version "
                    "WHERE client_id = :client_id AND version < :version",
                    {"client_id": client_id, "version": version})


@dataclass(frozen=True)
class ProjectedSenders:
    """A client's allowed senders as the read model has them, at ``version`` of the
    client; ``senders`` None: not known here (a row from before the column existed)."""

    version: int
    senders: tuple[str, ...] | None


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


def projected_senders(db: Database, client_id: UUID) -> ProjectedSenders | None:
    """The client's allowed senders in the read model, or None when it has no row yet."""
    with db.transaction() as tx:
        found = list(tx.execute(
            "SELECT version, allowed_senders FROM inbox_addresses WHERE client_id = :client_id",
            {"client_id": str(client_id)},
        ))
    if not found:
        return None
    version, senders = found[0]
    return ProjectedSenders(
        int(version), None if senders is None else tuple(orjson.loads(senders)))
