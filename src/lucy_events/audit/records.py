"""A history entry as plain data (JSON-ready): what the CLI's ``--json``, the API and the
exports all show, so they say the same. Times are ISO 8601 with their zone."""

from __future__ import annotations

from enum import Enum
from typing import Any

import orjson

from lucy_events.application import ClientAsOf, HistoryEntry


def _default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def plain(value: Any) -> Any:
    """An event value as JSON: ids and enums as text, moments in ISO 8601 (orjson does
    the walk in C: an export of 50,000 entries walks every value)."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    return orjson.loads(orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS))


def entry_record(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(), "who": entry.who, "actor": entry.actor,
        "event": entry.event_type, "subject": entry.subject,
        "subject_id": str(entry.subject_id), "file_name": entry.file_name,
        "label": entry.label, "version": entry.version, "details": plain(entry.details),
        "changes": plain({k: {"before": before, "after": after}
                          for k, (before, after) in entry.changes.items()}),
        "names": dict(entry.names),
    }


def as_of_record(state: ClientAsOf) -> dict[str, Any]:
    client = state.client
    return {
        "at": state.at.isoformat(),
        "client": None if client is None else {
            "id": str(client.id), "name": client.name, "status": plain(client.status),
            "plan": plain(getattr(client, "plan", None)),
            "auto_send": getattr(client, "auto_send", None),
        },
        "documents": [{
            "id": str(d.document_id), "file_name": d.file_name, "status": d.status,
            "document_type": d.document_type, "received_at": d.received_at.isoformat(),
            "channel": d.channel, "sender": d.sender, "failure_reason": d.failure_reason,
        } for d in state.documents],
    }
