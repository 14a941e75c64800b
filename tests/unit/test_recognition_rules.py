"""What recognition, corrections and duplicate suspicions do to a Document (no store)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import (
    DocumentLocked,
    NotSuspectedDuplicate,
    SuspectedDuplicate,
    UntypedDocumentCannotBeSent,
    field_value,
)
from lucy_events.aggregates.errors import InvalidValue
from tests.unit.test_document_rules import received, sent

STAFF = Actor.staff(uuid4(), Role.ACCOUNTANT)
READER = Actor.system("recognition")
READ = {"supplier_name": "Brouwerij Het Anker", "supplier_vat": "BE0403170701",
        "invoice_number": "F2026-118", "issue_date": "2026-11-03",
        "total_incl_vat": "121.00", "currency": "EUR"}


def recognise(document: Document, *, document_type: str | None = "purchase-invoice",
              confidence: float = 0.95, method: str = "ubl", **fields: str | None) -> None:
    document.record_recognition(fields={**READ, **fields}, document_type=document_type,
                                method=method, confidence=confidence, by=READER)


def last_event(document: Document) -> object:
    return document.collect_events()[-1]


def test_a_confident_type_types_an_untyped_document_and_makes_it_recognised():
    document = received(document_type=None)
    recognise(document, document_type="purchase-invoice", confidence=0.95)
    assert document.document_type == "purchase-invoice" and document.recognised
    assert document.fields["invoice_number"] == "F2026-118"
    assert document.fields["total_incl_vat"] == "121.00"
    document.request_send(STAFF)  # a recognised document may be sent


def test_an_unsure_type_keeps_the_fields_but_leaves_the_document_unrecognised():
    document = received(document_type=None)
    recognise(document, document_type="receipt", confidence=0.4, method="ocr")
    assert document.document_type is None and not document.recognised
    assert document.recognition == {"method": "ocr", "confidence": 0.4, "reason": None,
                                    "document_type": "receipt"}
    with pytest.raises(UntypedDocumentCannotBeSent):
        document.request_send(STAFF)


def test_a_type_given_by_a_person_wins_over_a_confident_recognised_type():
    document = received(document_type="sales-invoice")
    recognise(document, document_type="purchase-invoice", confidence=1.0)
    assert document.document_type == "sales-invoice" and document.recognised


def test_a_document_that_cannot_be_read_stays_unrecognised_with_the_reason():
    document = received(document_type=None)
    document.record_recognition(fields={}, document_type=None, method="none",
                                confidence=0.0, reason="the PDF is encrypted", by=READER)
    assert not document.recognised and document.document_type is None
    assert document.recognition["reason"] == "the PDF is encrypted"


def test_corrections_win_over_what_was_read_now_and_after_a_later_reading():
    document = received(document_type=None)
    recognise(document)
    document.correct_fields({"invoice_number": "F2026-119", "total_incl_vat": "1.210,50"},
                            "purchase-credit-note", STAFF)
    event = last_event(document)
    assert event.fields == {"invoice_number": "F2026-119", "total_incl_vat": "1210.50"}
    assert event.actor == str(STAFF)
    recognise(document, document_type="purchase-invoice", confidence=1.0)  # read again
    assert document.fields["invoice_number"] == "F2026-119"
    assert document.fields["total_incl_vat"] == "1210.50"
    assert document.document_type == "purchase-credit-note"
    assert document.corrected_by["invoice_number"] == str(STAFF)


def test_a_correction_that_changes_nothing_records_nothing():
    document = received(document_type=None)
    recognise(document)
    document.collect_events()
    document.correct_fields({"invoice_number": " F2026-118 "}, None, STAFF)
    assert document.collect_events() == []


@pytest.mark.parametrize(("name", "value"), [
    ("issue_date", "3 November"), ("total_incl_vat", "twelve"), ("currency", "euro"),
    ("colour", "blue"),
])
def test_a_bad_correction_names_its_field(name, value):
    document = received(document_type=None)
    with pytest.raises(InvalidValue) as error:
        document.correct_fields({name: value}, None, STAFF)
    assert error.value.field == name


def test_an_empty_value_clears_a_field():
    assert field_value("supplier_name", "  ") is None
    document = received(document_type=None)
    recognise(document)
    document.correct_fields({"supplier_name": ""}, None, STAFF)
    assert document.fields["supplier_name"] is None


def test_a_sent_documents_type_cannot_be_corrected():
    document = sent()
    with pytest.raises(DocumentLocked):
        document.correct_fields({}, "receipt", STAFF)


def test_the_newer_of_a_suspected_pair_is_held_until_the_suspicion_is_dismissed():
    older, newer = received(), received()
    older.suspect_duplicate(newer.id, "same-content", False, READER)
    newer.suspect_duplicate(older.id, "same-content", True, READER)
    assert not older.held_as_duplicate and newer.held_as_duplicate
    assert not newer.can_be_sent
    with pytest.raises(SuspectedDuplicate):
        newer.request_send(STAFF)
    newer.dismiss_duplicate(older.id, STAFF)
    assert newer.can_be_sent
    newer.request_send(STAFF)


def test_a_suspicion_is_recorded_once_and_only_with_a_known_ground():
    document, other = received(), received()
    document.suspect_duplicate(other.id, "same-supplier-and-number", True, READER)
    document.collect_events()
    document.suspect_duplicate(other.id, "same-content", True, READER)
    assert document.collect_events() == []
    with pytest.raises(InvalidValue) as error:
        document.suspect_duplicate(uuid4(), "looks alike", True, READER)
    assert error.value.field == "ground"


def test_dismissing_a_suspicion_the_document_does_not_have_is_refused():
    with pytest.raises(NotSuspectedDuplicate):
        received().dismiss_duplicate(uuid4(), STAFF)
