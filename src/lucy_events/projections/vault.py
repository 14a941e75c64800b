"""The vault read model ("vault"): one row per file shared in a client's vault.

A deleted file keeps its row (``deleted_at`` set): its add, delivered again, then finds
the row and changes nothing. Each row keeps the vault's version that last changed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lucy_events.bus.catalogue import VAULT_TOPIC
from lucy_events.bus.records import BusEvent
from lucy_events.projections.base import Projection
from lucy_events.projections.tables import Index, Table
from lucy_events.projections.values import ident, moment
from lucy_events.sqldb import Transaction

VAULT_FILES = Table(
    "vault_files",
    (
        ("file_id", "text"), ("client_id", "text"), ("firm_id", "text"), ("version", "int"),
        ("file_name", "text"), ("media_type", "text"), ("size", "bigint"),
        ("sha256", "text"), ("added_at", "text"), ("added_by", "text"),
        ("deleted_at", "text"), ("deleted_by", "text"),
    ),
    key=("file_id",),
    indexes=(Index("client_added", "client_id, added_at, file_id"),),
)


class VaultProjection(Projection):
    base_name = "vault"
    tables = (VAULT_FILES,)
    topics = (VAULT_TOPIC,)
    event_types = frozenset({"VaultFileAdded", "VaultFileDeleted"})

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        table = self.physical(VAULT_FILES)
        for event in events:
            data = event.data
            if event.type == "VaultFileAdded":
                tx.execute(
                    f"INSERT INTO {table} (file_id, client_id, firm_id, version, file_name, "
                    "media_type, size, sha256, added_at, added_by) VALUES (:file_id, "
                    ":client_id, :firm_id, :version, :file_name, :media_type, :size, "
                    ":sha256, :at, :actor) ON CONFLICT (file_id) DO NOTHING",
                    {"file_id": str(data["file_id"]), "client_id": ident(event.client_id),
                     "firm_id": str(event.firm_id), "version": event.aggregate_version,
                     "file_name": data["file_name"], "media_type": data["media_type"],
                     "size": int(data["size"]), "sha256": data["sha256"],
                     "at": moment(event.occurred_at), "actor": event.actor})
            elif event.type == "VaultFileDeleted":
                tx.execute(
                    f"UPDATE {table} SET deleted_at = :at, deleted_by = :actor, "
                    "version = :version WHERE file_id = :file_id AND version < :version",
                    {"file_id": str(data["file_id"]), "version": event.aggregate_version,
                     "at": moment(event.occurred_at), "actor": event.actor})
