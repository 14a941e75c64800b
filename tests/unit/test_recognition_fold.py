"""How recognition events change a row of the documents list (pure, no database)."""

from __future__ import annotations

from uuid import uuid4

from lucy_events.bus.records import BusEvent
from lucy_events.projections import documents_fold
from tests.samples import MOMENT

DOCUMENT, CLIENT, FIRM = uuid4(), uuid4(), uuid4()


def event(event_type: str, version: int, **data: object) -> BusEvent:
    return BusEvent(event_id=f"{DOCUMENT}:{version}", notification_id=version,
                    occurred_at=MOMENT, firm_id=FIRM, client_id=CLIENT, actor="system:test",
                    type=event_type, aggregate_id=DOCUMENT, aggregate_version=version,
                    data=data)


def received(document_type: str | None = None) -> dict:
    return documents_fold.received(event(
        "DocumentReceived", 1, channel="email", file_name="f.pdf", media_type="application/pdf",
        size=3, sha256="a" * 64, blob_ref="x", sender=None, document_type=document_type))


def read(version: int, document_type: str | None = "purchase-invoice",
         confidence: float = 0.95, **fields: str) -> BusEvent:
    return event("DocumentRecognised", version, document_type=document_type,
                 confidence=confidence, method="pdf-text",
                 **{"supplier_name": "Het Anker", "invoice_number": "F1", **fields})


def test_a_confident_reading_fills_the_row_and_types_it():
    row = received()
    assert documents_fold.apply(row, read(2, total_incl_vat="121.00"))
    assert (row["supplier_name"], row["invoice_number"], row["total_incl_vat"]) == (
        "Het Anker", "F1", "121.00")
    assert row["document_type"] == "purchase-invoice" and row["recognition_method"] == "pdf-text"


def test_an_unsure_reading_or_a_given_type_leaves_the_type_alone():
    unsure, given = received(), received("receipt")
    documents_fold.apply(unsure, read(2, confidence=0.3))
    documents_fold.apply(given, read(2))
    assert unsure["document_type"] is None and given["document_type"] == "receipt"


def test_a_corrected_field_survives_a_later_reading():
    row = received()
    documents_fold.apply(row, read(2))
    documents_fold.apply(row, event("DocumentFieldsCorrected", 3,
                                    fields={"invoice_number": "F2"}, document_type="receipt"))
    documents_fold.apply(row, read(4, invoice_number="F9", document_type="sales-invoice",
                                   confidence=1.0))
    assert row["invoice_number"] == "F2" and row["document_type"] == "receipt"
    assert row["corrected"] == "document_type,invoice_number"


def test_an_event_applied_twice_has_no_second_effect():
    row = received()
    other = uuid4()
    suspected = event("DuplicateSuspected", 2, other_document_id=other,
                      ground="same-content", newer=True)
    assert documents_fold.apply(row, suspected)
    assert not documents_fold.apply(row, suspected)
    assert row["duplicates"] == 1 and row["duplicate_of"] == str(other)
