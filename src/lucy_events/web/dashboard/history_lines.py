"""A client's audit trail in words: one sentence per event, with staff, teams, packages
and documents by name. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.application import HistoryEntry
from lucy_events.audit.sealing import ERASED


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    what: str
    subject: str


def _directions(d: Mapping[str, Any]) -> str:
    both = d.get("send") and d.get("receive")
    return "sending and receiving" if both else "sending" if d.get("send") else "receiving"


def _package(code: Any) -> str:
    package = PACKAGES.get(str(code))
    return package.name if package else str(code)


def _person(p: Mapping[str, Any]) -> str:
    """A contact person in words; once erased, one "an erased person" for all its fields."""
    if ERASED in (p.get("first_name"), p.get("last_name"), p.get("email")):
        return f"an {ERASED}"
    return "{first_name} {last_name} <{email}>".format(**p)


def _named(names: Mapping[UUID, str], value: Any, nobody: str) -> str:
    return names.get(value, str(value)) if value else nobody


Describe = Callable[[Mapping[str, Any], Mapping[UUID, str]], str]
_CLIENT: dict[str, Describe] = {
    "ClientCreated": lambda d, n: f"Created the client {d['name']}",
    "ContactPersonReplaced": lambda d, n: f"Made {_person(d['contact_person'])} the contact "
                                          "person",
    "FirmContactChanged": lambda d, n: "Firm contact: " + _named(n, d["firm_contact_id"], "none"),
    "TeamAssigned": lambda d, n: "Team: " + _named(n, d["team_id"], "none"),
    "Invited": lambda d, n: f"Invited {d['email']} (link valid until {d['expires_at']:%d %b %Y})",
    "InvitationResent": lambda d, n: f"Sent {d['email']} a new invitation link (valid until "
                                     f"{d['expires_at']:%d %b %Y}); the old one stopped working",
    "Activated": lambda d, n: f"Accepted the invitation: {d['plan']} trial until "
                              f"{d['trial_ends_on']:%d %b %Y}",
    "PlanChanged": lambda d, n: f"Plan: {d['plan']}",
    "PeppolEnabled": lambda d, n: f"Peppol {_directions(d)} enabled" + (
        f", confirming: {d['confirmation']}" if d.get("confirmation") else ""),
    "PeppolDisabled": lambda d, n: f"Peppol {_directions(d)} disabled",
    "IntegrationLinked": lambda d, n: f"Linked {_package(d['package'])}"
                                      + (" (UBL instead of PDF)" if d.get("ubl") else ""),
    "IntegrationUnlinked": lambda d, n: f"Unlinked {_package(d['package'])}",
    "IntegrationSettingsChanged": lambda d, n: f"Changed the {_package(d['package'])} "
                                               "settings",
    "AllowedSendersChanged": lambda d, n: "Allowed senders: " + (", ".join(d["senders"])
                                                                  or "none"),
    "VisibilityChanged": lambda d, n: "Hidden from accountants" if d["hidden"]
                                      else "Visible to accountants again",
    "AutoSendChanged": lambda d, n: "Auto-send " + ("on" if d["auto_send"] else "off"),
    "MailQuarantined": lambda d, n: f"Quarantined a mail from {d['sender'] or 'an unknown sender'}"
                                    f" ({d['reason']})",
    "QuarantinedMailReleased": lambda d, n: "Released a quarantined mail: "
                                            f"{len(d['document_ids'])} document(s)",
    "QuarantinedMailDiscarded": lambda d, n: "Discarded a quarantined mail",
}
_DOCUMENT: dict[str, Describe] = {
    "DocumentReceived": lambda d, n: f"Received by {d['channel']}"
                                     + (f" from {d['sender']}" if d.get("sender") else ""),
    "DocumentTypeAssigned": lambda d, n: "Type: " + d["document_type"].replace("-", " "),
    "SendRequested": lambda d, n: f"Send requested (attempt {d['attempt']})",
    "DocumentSent": lambda d, n: f"Delivered to {_package(d['package'])}",
    "SendFailed": lambda d, n: f"Delivery failed: {d['reason']}"
                               + ("" if d.get("retryable") else " (will not succeed by retrying)"),
    "DocumentRejected": lambda d, n: f"Refused by the package: {d['reason']}",
    "DocumentArchived": lambda d, n: "Archived",
    "DocumentDeleted": lambda d, n: "Deleted",
    "DocumentRecognised": lambda d, n: _read(d),
    "DocumentFieldsCorrected": lambda d, n: "Corrected " + ", ".join(
        [name.replace("_", " ") for name in d["fields"]]
        + (["the type: " + d["document_type"].replace("-", " ")] if d.get("document_type")
           else [])),
    "DuplicateSuspected": lambda d, n: "Possible duplicate of another document ("
                                       + d["ground"].replace("-", " ") + ")",
    "DuplicateDismissed": lambda d, n: "Not a duplicate of the other document",
    "DocumentContentDisposed": lambda d, n: "Files removed: the 10-year retention ended",
}
_VAULT: dict[str, Describe] = {
    "VaultOpened": lambda d, n: "Opened the vault",
    "VaultFileAdded": lambda d, n: f"Shared {d['file_name']} in the vault",
    "VaultFileDeleted": lambda d, n: f"Deleted {d['file_name']} from the vault",
}

_MULTISENDER: dict[str, Describe] = {
    "MultisenderOpened": lambda d, n: "Opened the multisender",
    "DestinationAdded": lambda d, n: f"Added the destination {d['label']} <{d['address']}>"
                                     " (to be confirmed from the e-mail sent there)",
    "DestinationConfirmationResent": lambda d, n: f"Sent {d['address']} a new confirmation "
                                                  "link; the old one stopped working",
    "DestinationConfirmed": lambda d, n: f"{d['address']} confirmed it takes the documents",
    "DestinationRemoved": lambda d, n: f"Removed the destination {d['address']}",
}
#: The client's multisender, on the document's history: never its delivery to the package.
_MULTISEND: dict[str, Describe] = {
    "MultisendsOpened": lambda d, n: "First sent through the client's multisender",
    "MultisendRequested": lambda d, n: f"The client sent it to {d['address']}"
                                       + (f" again (attempt {d['attempt']})"
                                          if d.get("attempt", 1) > 1 else ""),
    "MultisendSent": lambda d, n: f"Mailed to {d['address']} (the client's multisender)",
    "MultisendFailed": lambda d, n: f"Not mailed to {d['address']}: {d['reason']}"
                                    + ("" if d.get("retryable")
                                       else " (will not succeed by retrying)"),
}

_INVOICE_SETTINGS: dict[str, Describe] = {
    "InvoiceSettingsOpened": lambda d, n: "Opened the invoice settings",
    "InvoiceSettingsChanged": lambda d, n: "Changed the invoice settings",
}
_INVOICE: dict[str, Describe] = {
    "InvoiceDrafted": lambda d, n: "Drafted " + (
        f"a credit note of {d['credited_number']}" if d.get("credited_number")
        else "an invoice") + f" for {d['customer']['name']}",
    "InvoiceDraftChanged": lambda d, n: f"Edited the draft for {d['customer']['name']}",
    "InvoiceIssued": lambda d, n: f"Issued {d['number']}: {d['total_incl_vat']} EUR incl. VAT",
    "InvoiceSent": lambda d, n: ("Sent over Peppol to " if d["via"] == "peppol"
                                 else "E-mailed to ") + d["recipient"],
    "InvoiceSendFailed": lambda d, n: f"Not sent ({d['via']}): {d['reason']}",
    "InvoiceDelivered": lambda d, n: f"Delivered over Peppol to {d['recipient']}",
    "InvoiceDeliveryFailed": lambda d, n: f"Not delivered over Peppol: {d['reason']}",
}
_TABLES = {"client": _CLIENT, "vault": _VAULT, "invoice-settings": _INVOICE_SETTINGS,
           "invoice": _INVOICE, "multisender": _MULTISENDER, "multisend": _MULTISEND}
_SUBJECTS = {"client": "Client", "vault": "Vault", "invoice-settings": "Invoice settings",
             "multisender": "Multisender"}


def _read(d: Mapping[str, Any]) -> str:
    what = (d["document_type"] or "type unknown").replace("-", " ")
    said = f"Read ({d['method']}, {d['confidence']:.0%} sure): {what}"
    return said + (f" ({d['reason']})" if d.get("reason") else "")


def history_lines(entries: list[HistoryEntry], names: dict[UUID, str]) -> list[HistoryLine]:
    """``names``: staff (current and former) and teams by id. Newest first."""
    lines = []
    for entry in entries:
        table = _TABLES.get(entry.subject, _DOCUMENT)
        describe = table.get(entry.event_type)
        try:
            what = describe(entry.details, names) if describe else _generic(entry)
        except (KeyError, TypeError, ValueError):  # an event older than these words
            what = entry.event_type
        subject = _SUBJECTS.get(entry.subject) or entry.label or entry.file_name or (
            f"Document {str(entry.subject_id)[:8]}")
        lines.append(HistoryLine(entry.at, entry.who, what, subject))
    return lines[::-1]


def _generic(entry: HistoryEntry) -> str:
    """An event these words do not know (another module's): its type and what changed."""
    changed = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, (_, v) in entry.changes.items()
                        if isinstance(v, str | int | float | bool) and v != "")
    return entry.event_type + (f" ({changed})" if changed else "")
