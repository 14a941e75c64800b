"""How each event changes the dashboard's rows. Pure: the caller loads the rows a batch
touches, folds the batch over them in memory, and writes back the changed ones once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bus.catalogue import CLIENT_TOPIC, DOCUMENT_TOPIC, FIRM_TOPIC, TOPIC_OF
from lucy_events.bus.faults import InvalidMessage
from lucy_events.bus.records import FoldedEvent
from lucy_events.projections.dashboard_clients import CLIENT_CHANGES
from lucy_events.projections.documents_fold import STATUS_TEXT_AFTER
from lucy_events.projections.tables import Row
from lucy_events.projections.values import ident, moment

#: The document statuses the client row counts, and in which column, keyed by the text
#: the rows hold (as ``documents_fold.STATUS_TEXT_AFTER``).
COUNTED = {
    status.value: column for status, column in (
        (DocumentStatus.INBOX, "inbox_count"), (DocumentStatus.SENDING, "sending_count"),
        (DocumentStatus.FAILED, "failed_count"), (DocumentStatus.REJECTED, "rejected_count"))
}


def new_client_row(client_id: str, firm_id: str) -> Row:
    return {
        "client_id": client_id, "firm_id": firm_id, "version": 0, "name": None,
        "name_key": None, "numbers_key": None, "enterprise_number": None,
        "vat_number": None, "country": None, "contact_name": None, "contact_email": None,
        "firm_contact_id": None, "firm_contact_name": None, "team_id": None,
        "team_name": None, "status": None, "invitation_expires_at": None,
        "activated_at": None, "plan": None, "trial_ends_on": None,
        "integration_package": None, "integration_kind": None, "integration_ubl": None,
        "peppol_send": False, "peppol_receive": False, "hidden": False, "auto_send": True,
        "inbox_count": 0, "sending_count": 0, "failed_count": 0, "rejected_count": 0,
        "last_document_at": None, "created_at": None, "updated_at": None,
        "services": "{}", "participant_ids": "[]",
    }


@dataclass
class Keys:
    """Which rows a batch needs, per table."""

    firms: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)
    teams: set[str] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    #: Each event's (document, client) ids as text when it is a document event, else
    #: None: ``DashboardRows.apply_batch`` folds by them rather than turn the ids into
    #: text a second time (a replay's every event but a few is a document's).
    document_keys: list[tuple[str, str] | None] = field(default_factory=list)


def client_of(e: FoldedEvent) -> str:
    """The client a document event belongs to, as text."""
    if e.client_id is None:
        raise InvalidMessage(f"{e.type} {e.event_id} names no client")
    return ident(e.client_id)


def keys_needed(events: Iterable[FoldedEvent]) -> Keys:
    keys = Keys()
    clients, documents = keys.clients.add, keys.documents.add
    note = keys.document_keys.append
    for e in events:
        topic = TOPIC_OF.get(e.type)
        if topic == DOCUMENT_TOPIC:
            document_id, client_id = ident(e.aggregate_id), client_of(e)
            clients(client_id)
            documents(document_id)
            note((document_id, client_id))
            continue
        note(None)
        if topic == FIRM_TOPIC:
            keys.firms.add(ident(e.firm_id))
        elif topic == CLIENT_TOPIC:
            clients(ident(e.aggregate_id))
        for name, into in (("staff_id", keys.staff), ("firm_contact_id", keys.staff),
                           ("team_id", keys.teams)):
            if e.data.get(name) is not None:
                into.add(ident(e.data[name]))
    return keys


@dataclass
class DashboardRows:
    firms: dict[str, Row] = field(default_factory=dict)
    staff: dict[str, Row] = field(default_factory=dict)
    teams: dict[str, Row] = field(default_factory=dict)
    clients: dict[str, Row] = field(default_factory=dict)
    documents: dict[str, Row] = field(default_factory=dict)
    #: Keys of the changed rows, per table attribute.
    changed: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Staff and teams named in this batch: every client row referring to them, loaded
    #: or not, must show the name.
    staff_names: dict[str, str] = field(default_factory=dict)
    team_names: dict[str, str] = field(default_factory=dict)

    def client(self, client_id: str, firm_id: UUID | str) -> Row:
        row = self.clients.get(client_id)
        if row is None:
            row = self.clients[client_id] = new_client_row(client_id, ident(firm_id))
        return row

    def staff_name(self, staff_id: str | None) -> str | None:
        return self.staff[staff_id]["name"] if staff_id in self.staff else None

    def team_name(self, team_id: str | None) -> str | None:
        return self.teams[team_id]["name"] if team_id in self.teams else None

    def apply(self, e: FoldedEvent) -> None:
        topic = TOPIC_OF.get(e.type)
        if topic == DOCUMENT_TOPIC:
            self.apply_batch((e,), keys_needed((e,)))
        elif topic == FIRM_TOPIC:
            self._firm_event(e)
        elif topic == CLIENT_TOPIC:
            self._client_event(e)

    def apply_batch(self, events: Sequence[FoldedEvent], keys: Keys) -> None:
        """``apply`` each event of the batch ``keys`` were taken from (``keys_needed``).

        A replay's every event but a few is a document's: how one changes the rows is
        written out in this loop, its lookups made once a batch (a call and the same
        lookups again for each were a fifth of the fold; docs/benchmarks.md, Read-model
        rebuild, session 11)."""
        apply, documents, clients = self.apply, self.documents, self.clients
        changed_documents, changed_clients = self.changed["documents"], self.changed["clients"]
        for e, document_keys in zip(events, keys.document_keys, strict=True):
            if document_keys is None:
                apply(e)
                continue
            document_id, client_id = document_keys
            document = documents.get(document_id)
            if document is None:
                document = documents[document_id] = {
                    "document_id": document_id, "client_id": client_id, "status": None,
                    "version": 0,
                }
            version = e.aggregate_version
            if version <= document["version"]:
                continue
            document["version"] = version
            changed_documents.add(document_id)
            client = clients.get(client_id)
            if client is None:
                client = self.client(client_id, e.firm_id)
            event_type = e.type
            if event_type == "DocumentReceived":
                at = moment(e.occurred_at)
                last = client["last_document_at"]
                if last is None or at > last:  # type: ignore[operator]
                    client["last_document_at"] = at
            status = STATUS_TEXT_AFTER.get(event_type)
            was = document["status"]
            if status is None or status == was:
                continue
            if was in COUNTED:
                client[COUNTED[was]] -= 1
            if status in COUNTED:
                client[COUNTED[status]] += 1
            document["status"] = status
            changed_clients.add(client_id)

    def _firm_event(self, e: FoldedEvent) -> None:
        firm_id = ident(e.firm_id)
        firm = self.firms.setdefault(firm_id, {"firm_id": firm_id, "name": None, "version": 0})
        if e.aggregate_version <= firm["version"]:
            return
        firm["version"] = e.aggregate_version
        self.changed["firms"].add(firm_id)
        d = e.data
        if e.type == "FirmRegistered":
            firm["name"] = d["name"]
        elif e.type == "StaffMemberAdded":
            staff_id = ident(d["staff_id"])
            self.staff[staff_id] = {
                "staff_id": staff_id, "firm_id": firm_id, "name": d["name"],
                "email": d["email"], "role": d["role"], "team_ids": "[]", "removed": False,
            }
            self.staff_names[staff_id] = d["name"]
            self.changed["staff"].add(staff_id)
        elif e.type in ("TeamCreated", "TeamRenamed"):
            team_id = ident(d["team_id"])
            self.teams[team_id] = {"team_id": team_id, "firm_id": firm_id, "name": d["name"]}
            self.team_names[team_id] = d["name"]
            self.changed["teams"].add(team_id)
        elif e.type in ("StaffMemberRemoved", "StaffAssignedToTeam", "StaffRoleChanged",
                        "StaffRemovedFromTeam"):
            member = self.staff.get(ident(d["staff_id"]))
            if member is None:
                return
            if e.type == "StaffMemberRemoved":
                member["removed"] = True
            elif e.type == "StaffRoleChanged":
                member["role"] = d["role"]
            else:
                teams = set(json.loads(member["team_ids"]))
                change = {ident(d["team_id"])}
                teams = teams - change if e.type == "StaffRemovedFromTeam" else teams | change
                member["team_ids"] = json.dumps(sorted(teams))
            self.changed["staff"].add(member["staff_id"])

    def _client_event(self, e: FoldedEvent) -> None:
        client = self.client(ident(e.aggregate_id), e.firm_id)
        if e.aggregate_version <= client["version"]:
            return
        change = CLIENT_CHANGES.get(e.type)
        if change is not None:
            change(self, client, e)
        client["version"] = e.aggregate_version
        client["updated_at"] = moment(e.occurred_at)
        self.changed["clients"].add(client["client_id"])
