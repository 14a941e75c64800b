"""How each document event changes the document's row in the documents list (pure)."""

from __future__ import annotations

from collections.abc import Callable

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bus.records import BusEvent
from lucy_events.projections import recognition_fold
from lucy_events.projections.tables import Row
from lucy_events.projections.values import ident, moment

STATUS_AFTER = {
    "DocumentReceived": DocumentStatus.INBOX, "SendRequested": DocumentStatus.SENDING,
    "DocumentSent": DocumentStatus.SENT, "SendFailed": DocumentStatus.FAILED,
    "DocumentRejected": DocumentStatus.REJECTED, "DocumentArchived": DocumentStatus.ARCHIVED,
    "DocumentDeleted": DocumentStatus.DELETED,
}


def received(e: BusEvent) -> Row:
    d = e.data
    at = moment(e.occurred_at)
    return {
        "document_id": ident(e.aggregate_id), "client_id": ident(e.client_id),
        "firm_id": ident(e.firm_id), "version": e.aggregate_version,
        "file_name": d["file_name"], "media_type": d["media_type"], "size": int(d["size"]),
        "channel": d["channel"], "sender": d.get("sender"),
        "document_type": d.get("document_type"), "status": DocumentStatus.INBOX.value,
        "received_at": at, "status_at": at, "attempts": 0, "failure_reason": None,
        "retryable": False, "sent_at": None, "package": None, "remote_reference": None,
        **recognition_fold.EMPTY, "type_source": "given" if d.get("document_type") else None,
    }


def apply(row: Row, e: BusEvent) -> bool:
    """Change ``row`` by a later event of its document; False when it changes nothing."""
    if e.aggregate_version <= row["version"]:
        return False  # applied before
    change = _CHANGES.get(e.type)
    if change is not None:
        change(row, e)
    status = STATUS_AFTER.get(e.type)
    if status is not None and status != row["status"]:
        row["status"] = status.value
        row["status_at"] = moment(e.occurred_at)
    row["version"] = e.aggregate_version
    return True


def _requested(row: Row, e: BusEvent) -> None:
    row["attempts"] = int(e.data["attempt"])


def _sent(row: Row, e: BusEvent) -> None:
    row.update(package=e.data["package"], remote_reference=e.data["remote_reference"],
               sent_at=moment(e.occurred_at), failure_reason=None, retryable=False)


def _failed(row: Row, e: BusEvent) -> None:
    row.update(failure_reason=e.data["reason"], retryable=bool(e.data["retryable"]),
               attempts=int(e.data["attempt"]))


def _rejected(row: Row, e: BusEvent) -> None:
    row.update(failure_reason=e.data["reason"], retryable=False)


_CHANGES: dict[str, Callable[[Row, BusEvent], None]] = {
    "SendRequested": _requested, "DocumentSent": _sent,
    "SendFailed": _failed, "DocumentRejected": _rejected,
    **recognition_fold.CHANGES,
}
