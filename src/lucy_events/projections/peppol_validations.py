"""The Peppol read model ("peppol"): each Peppol document's validation result and
rendition, for the document's JSON and page and the "invalid" badge in lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import orjson

from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.records import BusEvent
from lucy_events.projections.base import Projection
from lucy_events.projections.ddl import create_table
from lucy_events.projections.tables import Row, Table, select_rows, upsert_rows
from lucy_events.sqldb import Database, Transaction

VALIDATIONS = Table(
    "peppol_validations",
    (
        ("document_id", "text"), ("firm_id", "text"), ("client_id", "text"),
        ("version", "int"), ("valid", "bool"), ("rules", "text"),
        # JSON lists of {rule, flag, location, message}
        ("errors", "text"), ("warnings", "text"),
        ("rendition_file_name", "text"), ("rendition_media_type", "text"),
        ("rendition_size", "bigint"),
    ),
    key=("document_id",),
)


def _empty(e: BusEvent) -> Row:
    return {"document_id": str(e.aggregate_id), "firm_id": str(e.firm_id),
            "client_id": str(e.client_id), "version": 0, "valid": None, "rules": None,
            "errors": "[]", "warnings": "[]", "rendition_file_name": None,
            "rendition_media_type": None, "rendition_size": None}


def fold(row: Row, e: BusEvent) -> bool:
    """Change ``row`` by one of its document's events (pure); False when already applied."""
    if e.aggregate_version <= row["version"]:
        return False
    if e.type == "PeppolDocumentValidated":
        row.update(valid=bool(e.data["valid"]), rules=e.data["rules"],
                   errors=orjson.dumps(e.data["errors"]).decode(),
                   warnings=orjson.dumps(e.data["warnings"]).decode())
    elif e.type == "RenditionAttached":
        row.update(rendition_file_name=e.data["file_name"],
                   rendition_media_type=e.data["media_type"],
                   rendition_size=int(e.data["size"]))
    row["version"] = e.aggregate_version
    return True


class PeppolValidationsProjection(Projection):
    base_name = "peppol"
    tables = (VALIDATIONS,)
    topics = (DOCUMENT_TOPIC,)
    event_types = frozenset({"PeppolDocumentValidated", "RenditionAttached"})

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        table = self.physical(VALIDATIONS)
        rows = select_rows(tx, self.db.dialect, VALIDATIONS, table,
                           {str(e.aggregate_id) for e in events})
        changed: dict[str, Row] = {}
        for event in events:
            key = str(event.aggregate_id)
            row = rows.setdefault(key, _empty(event))
            if fold(row, event):
                changed[key] = row
        upsert_rows(tx, self.db.dialect, VALIDATIONS, table,
                    [changed[k] for k in sorted(changed)])


def _shown(row: Row) -> dict[str, Any]:
    rendition = None
    if row["rendition_file_name"]:
        rendition = {"file_name": row["rendition_file_name"],
                     "media_type": row["rendition_media_type"], "size": row["rendition_size"]}
    return {"valid": row["valid"], "rules": row["rules"],
            "errors": orjson.loads(row["errors"]), "warnings": orjson.loads(row["warnings"]),
            "rendition": rendition}


def peppol_validations(
    db: Database, firm_id: UUID, document_ids: Iterable[UUID | str]
) -> dict[str, dict[str, Any]]:
    """Validation results (and renditions) of those documents that have one, by id;
    ask only for Peppol documents (channel ``peppol``)."""
    ids = {str(d) for d in document_ids}
    if not ids:
        return {}
    with db.transaction() as tx:
        # Its consumer may not have run yet (a new deployment, or lagging on Kafka).
        create_table(tx, db.dialect, VALIDATIONS, VALIDATIONS.name)
        rows = select_rows(tx, db.dialect, VALIDATIONS, VALIDATIONS.name, ids)
    return {k: _shown(r) for k, r in rows.items() if r["firm_id"] == str(firm_id)}


def peppol_validation(db: Database, firm_id: UUID, document_id: UUID) -> dict[str, Any] | None:
    return peppol_validations(db, firm_id, [document_id]).get(str(document_id))
