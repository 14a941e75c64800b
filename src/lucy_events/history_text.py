"""The audit trail as a person reads it in a terminal. Entries come from the one history
builder (``application.history_entries``), which has already left private fields out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.application import ClientAsOf, ClientSummary, HistoryEntry, LucyApplication
from lucy_events.application.history_entries import who
from lucy_events.audit.records import plain

__all__ = ["format_as_of", "format_history", "resolve_client", "who"]


def resolve_client(app: LucyApplication, text: str) -> ClientSummary:
    """A client by id, or by a unique part of its name, enterprise or VAT number."""
    try:
        client_id = UUID(text)
    except ValueError:
        matches = app.find_clients(text)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ClientNotFound(f"no client matches {text!r}") from None
        names = ", ".join(f"{m.name} ({m.client_id})" for m in matches[:5])
        raise ClientNotFound(f"{len(matches)} clients match {text!r}: {names}") from None
    client = app.client_for_operator(client_id)
    return ClientSummary(client.id, client.firm_id, client.name,
                         client.enterprise_number, client.vat_number)


def _value(value: Any, named: str | None = None) -> str:
    if named:
        return f"{named} ({value})"
    value = plain(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_value(v)}" for k, v in value.items() if v) + "}"
    return str(value)


def format_history(summary: ClientSummary, entries: list[HistoryEntry]) -> str:
    number = summary.vat_number or summary.enterprise_number or ""
    lines = [f"{summary.name} ({number}) — client {summary.client_id}", ""]
    for entry in entries:
        details = ", ".join(
            f"{k}={_value(v, entry.names.get(k))}" for k, v in entry.details.items()
            if v not in (None, "", {}, [])
        )
        subject = entry.subject if entry.subject in ("client", "vault", "invoice-settings",
                                                 "multisender") \
            else entry.label or "invoice" if entry.subject == "invoice" else (
                f"document {entry.file_name or str(entry.subject_id)[:8]}")
        lines.append(
            f"{entry.at.isoformat(timespec='seconds')}  {entry.who:<22.22}  "
            f"{subject:<24.24}  {entry.event_type:<22}  {details}"
        )
    lines.append("")
    lines.append(f"{len(entries)} events")
    return "\n".join(lines)


def format_as_of(state: ClientAsOf) -> str:
    at = state.at.isoformat(timespec="seconds")
    if state.client is None:
        return f"As of {at}: the client did not exist yet.\n"
    count = len(state.documents)
    lines = [f"As of {at}: {state.client.name} was {plain(state.client.status)}; "
             f"{count} document{'' if count == 1 else 's'}"]
    for d in state.documents:
        lines.append(f"  {d.received_at.isoformat(timespec='seconds')}  {d.status:<9}  "
                     f"{d.file_name}" + (f"  ({d.failure_reason})" if d.failure_reason else ""))
    return "\n".join(lines) + "\n"
