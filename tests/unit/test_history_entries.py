"""The one history builder, on the in-memory store: who by name, what changed (before and
after), file names, private fields left out once for every presenter, unknown event types
described rather than a crash, and the state as of a moment."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from lucy_events.aggregates import event_classes
from lucy_events.aggregates.client import Client
from lucy_events.application import ClientSummary, LucyApplication
from lucy_events.audit.export import export, heading
from lucy_events.audit.links import Checkpoint
from lucy_events.audit.records import entry_record
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.catalogue import _AGGREGATES, PRIVATE_FIELDS
from lucy_events.history_text import format_as_of, format_history
from tests.support import Office, open_office

_SECRET_LOOKING = re.compile(r"(token|secret|password|api_key|credential)", re.I)


@pytest.fixture
def office() -> Office:
    return open_office(LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                                       blobs=InMemoryBlobStore()))


@pytest.fixture
def invited(office: Office) -> tuple[ClientSummary, str]:
    client_id = office.new_client()
    office.app.invite_client(office.firm_id, client_id, office.admin)
    office.app.resend_invitation(office.firm_id, client_id, office.admin)
    office.receive(client_id)
    client = office.app.client(office.firm_id, client_id)
    summary = ClientSummary(client_id, office.firm_id, client.name, None, client.vat_number)
    return summary, str(client.invitation_token_hash)


def test_every_event_field_that_looks_secret_is_a_private_field():
    for aggregate in _AGGREGATES:
        for cls in event_classes(aggregate):
            for name in getattr(cls, "__annotations__", {}):
                if _SECRET_LOOKING.search(name):
                    assert name in PRIVATE_FIELDS, f"{cls.__name__}.{name} is not private"


def test_the_builder_leaves_private_fields_out_of_details_and_changes(office, invited):
    summary, secret = invited
    entries = office.app.client_history(office.firm_id, summary.client_id)
    assert {e.event_type for e in entries} >= {"Invited", "InvitationResent"}
    for entry in entries:
        assert not PRIVATE_FIELDS & (set(entry.details) | set(entry.changes))
        assert secret not in repr(entry)


def test_cli_text_and_json_show_no_private_field(office, invited):
    summary, secret = invited
    entries = office.app.client_history(office.firm_id, summary.client_id)
    text = format_history(summary, entries)
    lines = "\n".join(json.dumps(entry_record(e)) for e in entries)
    for shown in (text, lines):
        assert secret not in shown and "token_hash" not in shown


def test_every_export_format_shows_no_private_field_and_states_the_head(office, invited):
    summary, secret = invited
    entries = office.app.client_history(office.firm_id, summary.client_id)
    top = heading(summary.client_id, summary.name, None, None, Checkpoint(7, b"\x07" * 32))
    for fmt in ("csv", "json", "html"):
        shown = export(fmt, top, entries)
        assert secret not in shown and "token_hash" not in shown
        assert "7:" + "07" * 32 in shown


def test_entries_say_who_by_name_what_changed_and_which_file(office, invited):
    summary, _ = invited
    entries = office.app.client_history(office.firm_id, summary.client_id)
    resent = next(e for e in entries if e.event_type == "InvitationResent")
    assert resent.who == "Sofie Admin" and resent.actor == str(office.admin)
    assert set(resent.changes) <= {"expires_at"}
    received = next(e for e in entries if e.event_type == "DocumentReceived")
    assert received.file_name == "invoice.pdf"
    assert received.changes["file_name"] == (None, "invoice.pdf")
    assert all(e.at.tzinfo is not None for e in entries)
    assert entry_record(resent)["at"].endswith("+00:00")


def test_a_team_appears_by_name_as_well_as_by_id(office):
    team_id = office.app.create_team(office.firm_id, "Team Noord", office.admin)
    client_id = office.new_client()
    office.app.assign_team(office.firm_id, client_id, team_id, office.admin)
    assigned = office.app.client_history(office.firm_id, client_id)[-1]
    assert assigned.details["team_id"] == team_id and assigned.names["team_id"] == "Team Noord"
    assert entry_record(assigned)["names"] == {"team_id": "Team Noord"}


def test_an_event_of_a_type_this_version_does_not_know_is_described_not_a_crash(office):
    client_id = office.new_client()
    document_id = office.receive(client_id)
    state = {"timestamp": {"_type_": "datetime_iso", "_data_": datetime.now(UTC).isoformat()},
             "actor": "system:quarantine", "client_id": client_id.hex,
             "reason": "sender not allowed", "token_hash": "x"}
    office.app.recorder.insert_events([StoredEvent(
        originator_id=document_id, originator_version=2,
        topic="lucy_events.intake.quarantine:Document.MailQuarantined",
        state=json.dumps(state).encode())])
    last = office.app.client_history(office.firm_id, client_id)[-1]
    assert (last.event_type, last.who) == ("MailQuarantined", "system (quarantine)")
    assert last.details["reason"] == "sender not allowed" and "token_hash" not in last.details
    assert last.file_name == "invoice.pdf"
    state_now = office.app.client_as_of(office.firm_id, client_id, datetime.now(UTC))
    assert [d.status for d in state_now.documents] == ["Inbox"]  # its effect is unknown


def test_as_of_replays_the_client_and_its_documents_up_to_the_moment(office):
    client_id = office.new_client()
    before = datetime.now(UTC)
    office.app.invite_client(office.firm_id, client_id, office.admin)
    document_id = office.receive(client_id)
    assert office.app.client_as_of(office.firm_id, client_id, before - timedelta(days=1)
                                   ).client is None
    then = office.app.client_as_of(office.firm_id, client_id, before)
    assert then.client is not None and str(then.client.status) == "Created"
    assert then.documents == []
    now = office.app.client_as_of(office.firm_id, client_id, datetime.now(UTC))
    assert str(now.client.status) == "Invited"  # type: ignore[union-attr]
    assert [(d.document_id, d.status) for d in now.documents] == [(document_id, "Inbox")]
    assert "Inbox" in format_as_of(now) and "invoice.pdf" in format_as_of(now)


def test_an_unknown_client_id_for_as_of_is_not_found(office):
    from lucy_events.aggregates.client_rules import ClientNotFound

    with pytest.raises(ClientNotFound):
        office.app.client_as_of(office.firm_id, uuid4(), datetime.now(UTC))


def test_the_client_aggregates_private_field_is_still_on_its_events():
    assert "token_hash" in Client.Invited.__annotations__  # what the filter is for
