"""How events change the dashboard's rows, folded in memory without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from lucy_events.bus.records import BusEvent
from lucy_events.projections.dashboard_fold import DashboardRows, keys_needed
from lucy_events.projections.documents_fold import apply as apply_to_document
from lucy_events.projections.documents_fold import received

FIRM, CLIENT = uuid4(), uuid4()
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CONTACT = {"first_name": "Anna", "last_name": "Claes", "email": "anna@bakkerij.example"}


def event(kind: str, aggregate_id: UUID, version: int, client_id: UUID | None = None,
          **data: Any) -> BusEvent:
    return BusEvent(kind, f"{aggregate_id}:{version}", 0, AT, FIRM, client_id, "system:test",
                    aggregate_id, version, data)


def created(**overrides: Any) -> BusEvent:
    data = {"name": "Bakkerij Claes", "country": "BE", "enterprise_number": "0403170701",
            "vat_number": "BE0403170701", "legal_form": "BV", "address": {},
            "contact_person": CONTACT, "team_id": None, "firm_contact_id": None}
    return event("ClientCreated", CLIENT, 1, CLIENT, **{**data, **overrides})


def fold(*events: BusEvent, rows: DashboardRows | None = None) -> DashboardRows:
    rows = rows or DashboardRows()
    for e in events:
        rows.apply(e)
    return rows


def test_a_created_client_is_listed_under_its_folded_name_and_compact_numbers():
    row = fold(created()).clients[str(CLIENT)]
    assert (row["status"], row["name_key"], row["numbers_key"]) == (
        "Created", "bakkerij claes", "0403170701")
    assert (row["contact_name"], row["version"], row["inbox_count"]) == ("Anna Claes", 1, 0)


def test_activation_starts_the_trial_and_ends_the_invitation():
    rows = fold(created(),
                event("Invited", CLIENT, 2, CLIENT, expires_at=AT, email="a@b.example"),
                event("Activated", CLIENT, 3, CLIENT, trial_ends_on=date(2026, 12, 2),
                      plan="Business Pro"))
    row = rows.clients[str(CLIENT)]
    assert (row["status"], row["trial_ends_on"], row["plan"], row["invitation_expires_at"]) == (
        "Active", "2026-12-02", "Business Pro", None)


def test_peppol_directions_switch_separately():
    rows = fold(created(), event("PeppolEnabled", CLIENT, 2, CLIENT, send=True, receive=True),
                event("PeppolDisabled", CLIENT, 3, CLIENT, send=True, receive=False))
    row = rows.clients[str(CLIENT)]
    assert (row["peppol_send"], row["peppol_receive"]) == (False, True)


def test_an_event_at_or_below_the_rows_version_changes_nothing():
    rows = fold(created(), event("PlanChanged", CLIENT, 2, CLIENT, plan="Starter"))
    rows.changed.clear()
    fold(event("PlanChanged", CLIENT, 2, CLIENT, plan="Business"), rows=rows)
    assert rows.clients[str(CLIENT)]["plan"] == "Starter" and not rows.changed


def test_a_deleted_document_uncounts_whatever_status_it_had():
    document = uuid4()
    rows = fold(created(), event("DocumentReceived", document, 1, CLIENT),
                event("SendRequested", document, 2, CLIENT, attempt=1),
                event("DocumentRejected", document, 3, CLIENT, reason="duplicate"))
    assert rows.clients[str(CLIENT)]["rejected_count"] == 1
    fold(event("DocumentDeleted", document, 4, CLIENT), rows=rows)
    row = rows.clients[str(CLIENT)]
    assert (row["inbox_count"], row["sending_count"], row["rejected_count"]) == (0, 0, 0)


def test_documents_before_their_client_keep_their_counts_when_it_arrives():
    rows = fold(event("DocumentReceived", uuid4(), 1, CLIENT), created())
    row = rows.clients[str(CLIENT)]
    assert (row["inbox_count"], row["name"], row["version"]) == (1, "Bakkerij Claes", 1)


def test_a_batch_names_the_rows_it_needs_before_they_are_loaded():
    staff, team, document = uuid4(), uuid4(), uuid4()
    keys = keys_needed([created(firm_contact_id=staff, team_id=team),
                        event("DocumentReceived", document, 1, CLIENT),
                        event("TeamCreated", FIRM, 4, None, team_id=team, name="Gent")])
    assert (keys.clients, keys.documents, keys.firms) == (
        {str(CLIENT)}, {str(document)}, {str(FIRM)})
    assert (keys.staff, keys.teams) == ({str(staff)}, {str(team)})


def test_a_failed_delivery_keeps_its_reason_until_the_document_is_sent():
    document = uuid4()
    data = {"channel": "email", "file_name": "f.pdf", "media_type": "application/pdf",
            "size": 10, "sha256": "0" * 64, "blob_ref": "sha256:0", "sender": None,
            "document_type": "receipt"}
    row = received(event("DocumentReceived", document, 1, CLIENT, **data))
    apply_to_document(row, event("SendRequested", document, 2, CLIENT, attempt=1))
    apply_to_document(row, event("SendFailed", document, 3, CLIENT, reason="timeout",
                                 attempt=1, retryable=True))
    assert (row["status"], row["failure_reason"], row["retryable"]) == (
        "Failed", "timeout", True)
    apply_to_document(row, event("SendRequested", document, 4, CLIENT, attempt=2))
    apply_to_document(row, event("DocumentSent", document, 5, CLIENT, package="octopus",
                                 remote_reference="r-1"))
    assert (row["status"], row["failure_reason"], row["attempts"], row["package"]) == (
        "Sent", None, 2, "octopus")
    assert not apply_to_document(row, event("SendFailed", document, 3, CLIENT, reason="x",
                                            attempt=1, retryable=True))


def test_a_batch_folded_by_its_keys_gives_the_rows_folding_each_event_gives():
    staff, team, first, second = uuid4(), uuid4(), uuid4(), uuid4()
    batch = [event("DocumentReceived", first, 1, CLIENT),
             created(firm_contact_id=staff, team_id=team),
             event("StaffMemberAdded", FIRM, 2, None, staff_id=staff, name="Eva",
                   email="eva@firm.example", role="accountant"),
             event("DocumentReceived", second, 1, CLIENT),
             event("SendRequested", first, 2, CLIENT, attempt=1),
             event("DocumentRejected", first, 3, CLIENT, reason="duplicate"),
             event("DocumentDeleted", second, 2, CLIENT)]
    one_by_one = fold(*batch)
    by_keys = DashboardRows()
    by_keys.apply_batch(batch, keys_needed(batch))
    assert by_keys == one_by_one
    assert by_keys.clients[str(CLIENT)]["rejected_count"] == 1
