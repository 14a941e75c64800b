"""How recognition, corrections and duplicate suspicions change a document's row in the
documents list (pure). Corrections win: ``corrected`` lists the fields a person set,
which a later reading does not overwrite."""

from __future__ import annotations

from collections.abc import Callable

from lucy_events.aggregates.document_rules import recognition_types_it
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections.tables import Row

#: The recognised fields the list shows (the document page reads the rest from the store).
LISTED_FIELDS = ("supplier_name", "supplier_vat", "invoice_number", "issue_date",
                 "total_incl_vat", "currency")

EMPTY: Row = {
    **dict.fromkeys(LISTED_FIELDS), "recognition_method": None,
    "recognition_confidence": None, "corrected": None, "type_source": None,
    "duplicate_of": None, "duplicates": 0,
}


def _corrected(row: Row) -> set[str]:
    return set(filter(None, (row.get("corrected") or "").split(",")))


def recognised(row: Row, e: FoldedEvent) -> None:
    d = e.data
    corrected = _corrected(row)
    for name in LISTED_FIELDS:
        if name not in corrected:
            row[name] = d.get(name)
    row["recognition_method"] = d["method"]
    row["recognition_confidence"] = float(d["confidence"])
    if recognition_types_it(d.get("document_type"), float(d["confidence"]),
                            row.get("type_source"), row["status"]):
        row["document_type"] = d["document_type"]
        row["type_source"] = "recognition"


def corrected(row: Row, e: FoldedEvent) -> None:
    names = _corrected(row)
    for name, value in (e.data.get("fields") or {}).items():
        names.add(name)
        if name in LISTED_FIELDS:
            row[name] = value
    if e.data.get("document_type"):
        row["document_type"] = e.data["document_type"]
        row["type_source"] = "hand"
        names.add("document_type")
    row["corrected"] = ",".join(sorted(names)) or None


def typed(row: Row, e: FoldedEvent) -> None:
    row["document_type"] = e.data["document_type"]
    row["type_source"] = "hand"


def suspected(row: Row, e: FoldedEvent) -> None:
    row["duplicates"] = (row.get("duplicates") or 0) + 1
    row["duplicate_of"] = str(e.data["other_document_id"])


def dismissed(row: Row, e: FoldedEvent) -> None:
    row["duplicates"] = max(0, (row.get("duplicates") or 0) - 1)
    if not row["duplicates"]:
        row["duplicate_of"] = None


CHANGES: dict[str, Callable[[Row, FoldedEvent], None]] = {
    "DocumentRecognised": recognised, "DocumentFieldsCorrected": corrected,
    "DocumentTypeAssigned": typed, "DuplicateSuspected": suspected,
    "DuplicateDismissed": dismissed,
}
