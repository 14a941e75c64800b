"""How each document event changes the document's row in the documents list (pure)."""

from __future__ import annotations

from collections.abc import Callable

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections import recognition_fold
from lucy_events.projections.tables import Row
from lucy_events.projections.values import ident, moment

STATUS_AFTER = {
    "DocumentReceived": DocumentStatus.INBOX, "SendRequested": DocumentStatus.SENDING,
    "DocumentSent": DocumentStatus.SENT, "SendFailed": DocumentStatus.FAILED,
    "DocumentRejected": DocumentStatus.REJECTED, "DocumentArchived": DocumentStatus.ARCHIVED,
    "DocumentDeleted": DocumentStatus.DELETED,
}
#: The same, as the text the rows hold (an enum's ``value`` is a Python-level property,
#: looked up for every event of a replay).
STATUS_TEXT_AFTER = {event_type: status.value for event_type, status in STATUS_AFTER.items()}

#: A new document's row before its DocumentReceived's values: copied and filled in, four
#: times quicker than a dict display merging ``recognition_fold.EMPTY`` (a replay makes
#: one for every document).
_NEW_ROW: Row = {
    "document_id": None, "client_id": None, "firm_id": None, "version": 0,
    "file_name": None, "media_type": None, "size": None, "channel": None, "sender": None,
    "document_type": None, "status": DocumentStatus.INBOX.value, "received_at": None,
    "status_at": None, "attempts": 0, "failure_reason": None, "retryable": False,
    "sent_at": None, "package": None, "remote_reference": None, **recognition_fold.EMPTY,
}


def received(e: FoldedEvent) -> Row:
    d = e.data
    at = moment(e.occurred_at)
    document_type = d.get("document_type")
    row = _NEW_ROW.copy()
    row["document_id"] = ident(e.aggregate_id)
    row["client_id"] = ident(e.client_id)
    row["firm_id"] = ident(e.firm_id)
    row["version"] = e.aggregate_version
    row["file_name"] = d["file_name"]
    row["media_type"] = d["media_type"]
    row["size"] = int(d["size"])
    row["channel"] = d["channel"]
    row["sender"] = d.get("sender")
    row["document_type"] = document_type
    row["received_at"] = row["status_at"] = at
    row["type_source"] = "given" if document_type else None
    return row


def apply(row: Row, e: FoldedEvent) -> bool:
    """Change ``row`` by a later event of its document; False when it changes nothing."""
    if e.aggregate_version <= row["version"]:
        return False  # applied before
    event_type = e.type
    change = _CHANGES.get(event_type)
    if change is not None:
        change(row, e)
    status = STATUS_TEXT_AFTER.get(event_type)
    if status is not None and status != row["status"]:
        row["status"] = status
        row["status_at"] = moment(e.occurred_at)
    row["version"] = e.aggregate_version
    return True


def _requested(row: Row, e: FoldedEvent) -> None:
    row["attempts"] = int(e.data["attempt"])


def _sent(row: Row, e: FoldedEvent) -> None:
    row.update(package=e.data["package"], remote_reference=e.data["remote_reference"],
               sent_at=moment(e.occurred_at), failure_reason=None, retryable=False)


def _failed(row: Row, e: FoldedEvent) -> None:
    row.update(failure_reason=e.data["reason"], retryable=bool(e.data["retryable"]),
               attempts=int(e.data["attempt"]))


def _rejected(row: Row, e: FoldedEvent) -> None:
    row.update(failure_reason=e.data["reason"], retryable=False)


_CHANGES: dict[str, Callable[[Row, FoldedEvent], None]] = {
    "SendRequested": _requested, "DocumentSent": _sent,
    "SendFailed": _failed, "DocumentRejected": _rejected,
    **recognition_fold.CHANGES,
}
