"""The History tab's words for an erased contact person: one "an erased person", not the
placeholder once per sealed field."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from lucy_events.application import HistoryEntry
from lucy_events.audit.sealing import ERASED
from lucy_events.web.dashboard.history_lines import history_lines


def _replaced(person: dict[str, str]) -> HistoryEntry:
    return HistoryEntry(datetime(2026, 12, 1, tzinfo=UTC), "staff:x", "client", uuid4(), 2,
                        "ContactPersonReplaced", {"contact_person": person}, who="An")


def test_an_erased_contact_person_reads_once_as_an_erased_person():
    erased = {"first_name": ERASED, "last_name": ERASED, "email": ERASED, "phone": ERASED}
    [line] = history_lines([_replaced(erased)], {})
    assert line.what == "Made an erased person the contact person"


def test_a_contact_person_not_erased_reads_with_name_and_address():
    person = {"first_name": "Lies", "last_name": "Maes", "email": "lies@bakkerij.example"}
    [line] = history_lines([_replaced(person)], {})
    assert line.what == "Made Lies Maes <lies@bakkerij.example> the contact person"
