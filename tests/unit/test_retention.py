"""Documents are kept 10 years: ``retention run`` removes only the files past it, records
it on each document first, and keeps a file another kept document still refers to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lucy_events.aggregates.document_rules import ContentDisposed
from lucy_events.aggregates.event_time import events_stamped_by
from lucy_events.aggregates.retention import RetentionNotOver, retention_ends
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.audit.retention import run_retention
from lucy_events.blobs import InMemoryBlobStore
from tests.support import Office, open_office

NOW = datetime(2037, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def office() -> Office:
    return open_office(LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                                       blobs=InMemoryBlobStore()))


def _receive(office: Office, client_id, content: bytes, at: datetime):
    with events_stamped_by(lambda: at):
        return office.app.receive_document(IncomingDocument(
            office.firm_id, client_id, content, f"{at:%Y}.pdf", "application/pdf",
            "upload", document_type="purchase-invoice"), office.admin)


def test_retention_ends_ten_years_after_receipt_and_a_leap_day_on_the_first_of_march():
    assert retention_ends(datetime(2026, 5, 4, tzinfo=UTC)) == datetime(2036, 5, 4, tzinfo=UTC)
    assert retention_ends(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2038, 3, 1, tzinfo=UTC)


def test_a_document_within_its_retention_keeps_its_files(office):
    with events_stamped_by(lambda: NOW - timedelta(days=365)):
        client_id = office.new_client()
    document_id = _receive(office, client_id, b"%PDF recent", NOW - timedelta(days=365))
    with pytest.raises(RetentionNotOver, match="kept until 2046"):
        office.app.dispose_document_content(document_id, NOW, office.admin)
    assert run_retention(office.app, NOW).documents == 0
    assert office.app.document_content(office.firm_id, document_id, office.admin)


def test_only_files_past_retention_go_and_each_document_records_it(office):
    with events_stamped_by(lambda: datetime(2025, 1, 1, tzinfo=UTC)):
        client_id = office.new_client()
    old = _receive(office, client_id, b"%PDF old and alone", datetime(2026, 1, 2, tzinfo=UTC))
    shared_old = _receive(office, client_id, b"%PDF shared", datetime(2026, 1, 3, tzinfo=UTC))
    shared_new = _receive(office, client_id, b"%PDF shared", datetime(2030, 1, 3, tzinfo=UTC))
    outcome = run_retention(office.app, NOW)
    assert (outcome.documents, outcome.blobs_removed, outcome.blobs_kept) == (2, 1, 1)
    blobs = office.app.blobs
    assert not blobs.exists(office.app.document_for_system(old).blob_ref)
    assert blobs.exists(office.app.document_for_system(shared_new).blob_ref)
    assert office.app.document_for_system(shared_old).content_disposed
    history = office.app.client_history(office.firm_id, client_id)
    disposed = [e for e in history if e.event_type == "DocumentContentDisposed"]
    assert {e.subject_id for e in disposed} == {old, shared_old}
    assert all(e.who == "system (retention)" for e in disposed)
    again = run_retention(office.app, NOW)
    assert (again.documents, again.blobs_removed) == (0, 0)  # recorded once, removed once


def test_a_file_left_behind_by_a_crash_after_the_record_is_removed_next_time(office):
    with events_stamped_by(lambda: datetime(2025, 1, 1, tzinfo=UTC)):
        client_id = office.new_client()
    old = _receive(office, client_id, b"%PDF crash", datetime(2026, 1, 2, tzinfo=UTC))
    refs = office.app.dispose_document_content(old, NOW, office.admin)  # then "crashed"
    assert office.app.blobs.exists(refs[0])
    outcome = run_retention(office.app, NOW)
    assert (outcome.documents, outcome.blobs_removed) == (0, 1)
    assert not office.app.blobs.exists(refs[0])


def test_the_contents_of_a_document_past_retention_are_gone_and_say_so(office):
    with events_stamped_by(lambda: datetime(2025, 1, 1, tzinfo=UTC)):
        client_id = office.new_client()
    old = _receive(office, client_id, b"%PDF old", datetime(2026, 1, 2, tzinfo=UTC))
    run_retention(office.app, NOW)
    with pytest.raises(ContentDisposed, match="retention period ended"):
        office.app.document_content(office.firm_id, old, office.admin)
