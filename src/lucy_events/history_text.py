"""The audit trail as a person reads it in a terminal."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.application import ClientSummary, HistoryEntry, LucyApplication

_HIDDEN_DETAILS = {"token_hash"}


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


def who(actor: str, names: dict[UUID, str]) -> str:
    kind, _, ident = actor.partition(":")
    if kind == "staff":
        return names.get(UUID(ident), actor)
    if kind == "client":
        return "the client"
    return f"system ({ident})"


def _value(value: Any, names: dict[UUID, str]) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_value(v, names)}" for k, v in value.items() if v) + "}"
    if isinstance(value, UUID):
        return names.get(value, str(value))
    return str(value)


def format_history(
    summary: ClientSummary, entries: list[HistoryEntry], names: dict[UUID, str]
) -> str:
    """``names``: staff and team names by id, so people read names, not ids."""
    number = summary.vat_number or summary.enterprise_number or ""
    lines = [f"{summary.name} ({number}) — client {summary.client_id}", ""]
    for entry in entries:
        details = ", ".join(
            f"{k}={_value(v, names)}" for k, v in entry.details.items()
            if k not in _HIDDEN_DETAILS and v not in (None, "", {}, [])
        )
        subject = entry.subject if entry.subject in ("client", "vault") else (
            f"document {str(entry.subject_id)[:8]}")
        lines.append(
            f"{entry.at:%Y-%m-%d %H:%M:%S}  {who(entry.actor, names):<22.22}  "
            f"{subject:<17}  {entry.event_type:<22}  {details}"
        )
    lines.append("")
    lines.append(f"{len(entries)} events")
    return "\n".join(lines)
