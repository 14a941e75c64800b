"""The recognition worker against a real store (SQLite file, and PostgreSQL): what it
records for each new document, duplicates on both sides, and auto-send following it.

Where the test is about the domain, the worker reads with ``LabelReader``, a reader of
a tiny labelled text format, so the test says exactly what was "read"; the real
pipeline on a real UBL invoice is in test_recognition_end_to_end.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import FIELD_NAMES, DocumentStatus
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.records import BusEvent
from lucy_events.bus.runtime import ConsumerRuntime, Delivery, Position
from lucy_events.config import persistence_env
from lucy_events.recognition.duplicates import DuplicateIndex
from lucy_events.recognition.fields import Recognition
from lucy_events.recognition.worker import RecognitionWorker
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.integration.test_consumer_runtime import drain
from tests.integration.test_router import RecordingPackage
from tests.support import Office, open_office


@dataclass
class LabelReader:
    """Reads ``key=value`` lines; ``confidence`` and ``type`` say how sure and what."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, content: bytes, media_type: str | None = None, *,
                 own_numbers: frozenset[str] = frozenset(),
                 time_limit: float = 60.0) -> Recognition:
        self.calls.append({"media_type": media_type, "own_numbers": own_numbers,
                           "time_limit": time_limit})
        if content.startswith(b"%PDF"):
            raise ValueError("this reader only reads labels")
        labels = dict(line.split("=", 1) for line in content.decode().splitlines()
                      if "=" in line)
        read = {k: v for k, v in labels.items() if k in FIELD_NAMES}  # others: just text
        return Recognition(
            method="pdf-text", confidence=float(labels.get("confidence", "0.9")),
            document_type=labels.get("type"), **read)


def labelled(**labels: str) -> bytes:
    return "\n".join(f"{k}={v}" for k, v in labels.items()).encode()


INVOICE = {"type": "purchase-invoice", "supplier_name": "Brouwerij Het Anker",
           "supplier_vat": "BE0403170701", "invoice_number": "F2026-118"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/lucy.sqlite"
    return str(request.getfixturevalue("postgres_url"))


@dataclass
class Reading:
    app: LucyApplication
    office: Office
    reader: LabelReader
    worker: RecognitionWorker
    runtimes: list[ConsumerRuntime]
    db: Database

    def run(self) -> None:
        for _ in range(2):  # the router auto-sends what the worker recorded
            for runtime in self.runtimes:
                drain(runtime, idle_polls=1)

    def client(self, auto_send: bool = False, vat_number: str = "BE0403170701") -> UUID:
        client_id = self.office.new_client(enterprise_number=None, vat_number=vat_number)
        self.office.app.link_integration(self.office.firm_id, client_id, "octopus",
                                         self.office.admin, {"purchase_address": "in@o.example"})
        self.office.app.change_auto_send(self.office.firm_id, client_id, auto_send,
                                         self.office.admin)
        return client_id

    def document(self, document_id: UUID) -> Document:
        return self.app.document_for_system(document_id)

    def events(self, document_id: UUID) -> list[str]:
        return [type(e).__name__ for e in self.app.repository.event_store.get(document_id)]


@pytest.fixture
def reading(database_url: str, clock: Any) -> Iterator[Reading]:
    app = LucyApplication(persistence_env(database_url), blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(database_url)
    reader = LabelReader()
    worker = RecognitionWorker(app, DuplicateIndex(db), reader, time_limit=7.5)
    package = RecordingPackage()  # the router auto-sends, then delivers
    runtimes = [ConsumerRuntime(LogSource(app, db, h.name, h.topics, wakeup=threading.Event()),
                                h, StoreDeadLetters(db), poll_timeout=0)
                for h in (worker, Router(app, lambda code: package))]
    yield Reading(app, open_office(app), reader, worker, runtimes, db)
    db.close()
    app.close()


def test_a_new_document_is_read_with_the_clients_numbers_and_a_time_limit(reading):
    client_id = reading.client()
    document_id = reading.office.receive(client_id, None, labelled(
        **INVOICE, issue_date="2026-11-03", total_incl_vat="121.00"))
    reading.run()
    document = reading.document(document_id)
    assert document.recognised and document.document_type == "purchase-invoice"
    assert document.recognition["method"] == "pdf-text"
    assert document.fields["invoice_number"] == "F2026-118"
    assert document.fields["issue_date"] == "2026-11-03"
    assert document.fields["total_incl_vat"] == "121.00"
    call = reading.reader.calls[0]
    assert call["time_limit"] == 7.5 and call["media_type"] == "application/pdf"
    assert {"BE0403170701", "0403170701"} <= call["own_numbers"]


def test_a_second_delivery_of_the_same_document_records_nothing_new(reading):
    client_id = reading.client()
    document_id = reading.office.receive(client_id, None, labelled(**INVOICE))
    reading.run()
    before = reading.events(document_id)
    stored = reading.app.repository.event_store.get(document_id)
    received = BusEvent.from_domain(next(iter(stored)), notification_id=1)
    reading.worker.handle([Delivery(received, Position("log", 0, 1))])
    assert reading.events(document_id) == before == ["DocumentReceived", "DocumentRecognised"]
    assert len(reading.reader.calls) == 1


def test_a_document_that_cannot_be_read_stays_unrecognised_with_a_reason(reading):
    client_id = reading.client(auto_send=True)
    document_id = reading.office.receive(client_id, None)  # tests.support.PDF
    reading.run()
    document = reading.document(document_id)
    assert not document.recognised and document.document_type is None
    assert document.recognition["method"] == "none"
    assert "could not be read" in document.recognition["reason"]
    assert document.status is DocumentStatus.INBOX


def test_an_unsure_reading_leaves_the_document_for_a_person(reading):
    client_id = reading.client(auto_send=True)
    document_id = reading.office.receive(client_id, None, labelled(**INVOICE, confidence="0.5"))
    reading.run()
    document = reading.document(document_id)
    assert not document.recognised and document.document_type is None
    assert document.status is DocumentStatus.INBOX


def test_a_confidently_recognised_document_is_auto_sent(reading):
    client_id = reading.client(auto_send=True)
    document_id = reading.office.receive(client_id, None, labelled(**INVOICE))
    reading.run()
    assert reading.document(document_id).status is DocumentStatus.SENT


def test_the_same_content_twice_flags_both_and_holds_the_newer_until_someone_decides(reading):
    client_id = reading.client(auto_send=True)
    content = labelled(**INVOICE)
    first = reading.office.receive(client_id, None, content)
    second = reading.office.receive(client_id, None, content)
    reading.run()
    older, newer = reading.document(first), reading.document(second)
    assert older.duplicates == {second: {"ground": "same-content", "newer": False}}
    assert newer.duplicates == {first: {"ground": "same-content", "newer": True}}
    assert older.status is DocumentStatus.SENT  # auto-sent
    assert newer.status is DocumentStatus.INBOX and newer.held_as_duplicate
    reading.app.dismiss_duplicates(reading.office.firm_id, second, reading.office.accountant)
    reading.run()
    assert reading.document(second).status is DocumentStatus.SENT
    assert reading.document(first).duplicates == {}


def test_the_same_supplier_and_invoice_number_for_one_client_is_a_possible_duplicate(reading):
    client_id = reading.client()
    first = reading.office.receive(client_id, None, labelled(**INVOICE, note="scan"))
    second = reading.office.receive(client_id, None, labelled(
        **{**INVOICE, "supplier_vat": "BE 0403.170.701", "invoice_number": "f2026 118"}))
    reading.run()
    assert reading.document(second).duplicates == {
        first: {"ground": "same-supplier-and-number", "newer": True}}


def test_another_clients_invoice_with_the_same_number_is_no_duplicate(reading):
    first = reading.office.receive(reading.client(), None, labelled(**INVOICE))
    other_company = reading.client(vat_number="BE0417497106")  # one client per company
    second = reading.office.receive(other_company, None, labelled(**INVOICE))
    reading.run()
    assert reading.document(first).duplicates == reading.document(second).duplicates == {}


def test_a_deleted_document_is_no_longer_anyones_duplicate(reading):
    client_id = reading.client()
    first = reading.office.receive(client_id, None, labelled(**INVOICE))
    reading.run()
    reading.app.delete_document(reading.office.firm_id, first, reading.office.admin)
    second = reading.office.receive(client_id, None, labelled(**INVOICE))
    reading.run()
    assert reading.document(second).duplicates == {}


def test_a_correction_that_makes_two_invoices_alike_flags_them(reading):
    client_id = reading.client()
    first = reading.office.receive(client_id, None, labelled(**INVOICE))
    second = reading.office.receive(client_id, None, labelled(
        **{**INVOICE, "invoice_number": "F2026-119"}))
    reading.run()
    assert reading.document(second).duplicates == {}
    reading.app.correct_document_fields(reading.office.firm_id, second,
                                        {"invoice_number": "F2026-118"}, None,
                                        reading.office.accountant)
    reading.run()
    assert reading.document(second).duplicates[first]["ground"] == "same-supplier-and-number"
    assert reading.document(second).corrected_by["invoice_number"] == str(
        reading.office.accountant)


# --- The real pipeline, on real files ---------------------------------------------------

CLIENT_NUMBER = "0202.239.951"  # Bakkerij Claes, the customer of tests.ubl_samples


@pytest.fixture
def real(reading: Reading) -> Reading:
    """The same store, read by the worker as bootstrap builds it: the real pipeline."""
    from lucy_events.recognition.pipeline import recognise

    db = reading.db
    worker = RecognitionWorker(reading.app, DuplicateIndex(db), recognise, time_limit=20)
    reading.runtimes[0] = ConsumerRuntime(
        LogSource(reading.app, db, "recognition-real", worker.topics, wakeup=threading.Event()),
        worker, StoreDeadLetters(db), poll_timeout=0)
    return reading


def receive_file(reading: Reading, client_id: UUID, content: bytes, name: str,
                 media_type: str) -> UUID:
    from lucy_events.application import IncomingDocument

    return reading.app.receive_document(IncomingDocument(
        reading.office.firm_id, client_id, content, name, media_type, "email"),
        reading.office.admin)


def test_a_peppol_invoice_to_the_client_is_read_typed_and_auto_sent(real):
    from tests.ubl_samples import ubl_invoice

    client_id = real.office.new_client(enterprise_number=CLIENT_NUMBER)
    real.office.app.link_integration(real.office.firm_id, client_id, "octopus",
                                     real.office.admin, {"purchase_address": "in@o.example"})
    document_id = receive_file(real, client_id, ubl_invoice(), "F2026-118.xml",
                               "application/xml")
    real.run()
    document = real.document(document_id)
    assert document.recognition["method"] == "ubl" and document.recognised
    assert document.document_type == "purchase-invoice"
    assert (document.fields["supplier_vat"], document.fields["invoice_number"],
            document.fields["issue_date"], document.fields["total_incl_vat"]) == (
        "BE0403170701", "F2026-118", "2026-11-03", "121.00")
    assert document.vat_breakdown == [{"rate": "21", "taxable": "100.00", "vat": "21.00"}]
    assert document.status is DocumentStatus.SENT


def test_a_resent_invoice_as_another_file_is_held_as_a_possible_duplicate(real):
    from tests.ubl_samples import ubl_invoice

    client_id = real.office.new_client(enterprise_number=CLIENT_NUMBER)
    first = receive_file(real, client_id, ubl_invoice(), "a.xml", "application/xml")
    second = receive_file(real, client_id, ubl_invoice(due="2026-12-31"), "b.xml",
                          "application/xml")
    real.run()
    assert real.document(second).duplicates == {
        first: {"ground": "same-supplier-and-number", "newer": True}}


@pytest.mark.parametrize(("content", "reason"), [
    (b"%PDF-1.7\nnot really a PDF", "corrupt"),
    ("encrypted", "encrypted"),
])
def test_a_corrupt_or_encrypted_pdf_stays_unrecognised_with_the_reason(real, content, reason):
    if content == "encrypted":
        import io

        from reportlab.lib import pdfencrypt
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret"))
        pdf.drawString(100, 700, "Factuur F2026-118  Totaal 121,00 EUR")
        pdf.save()
        content = buffer.getvalue()
    client_id = real.office.new_client(enterprise_number=CLIENT_NUMBER)
    document_id = receive_file(real, client_id, content, "scan.pdf", "application/pdf")
    real.run()
    document = real.document(document_id)
    assert document.recognition["method"] == "none" and not document.recognised
    assert reason in document.recognition["reason"]
    assert document.document_type is None and document.status is DocumentStatus.INBOX


def test_an_official_peppol_example_for_another_party_is_read_but_left_for_a_person(real):
    """The customer is not the client, so the side (purchase or sales) is a guess: the
    fields are kept, the type waits for a person, nothing is sent."""
    from pathlib import Path

    example = Path(__file__).parents[1] / "data" / "peppol-bis3-examples" / "base-example.xml"
    client_id = real.office.new_client(enterprise_number=CLIENT_NUMBER)
    real.office.app.link_integration(real.office.firm_id, client_id, "octopus",
                                     real.office.admin, {"purchase_address": "in@o.example"})
    document_id = receive_file(real, client_id, example.read_bytes(), example.name,
                               "application/xml")
    real.run()
    document = real.document(document_id)
    assert document.recognition["method"] == "ubl" and not document.recognised
    assert document.recognition["confidence"] < 0.8 and document.document_type is None
    assert (document.fields["supplier_vat"], document.fields["invoice_number"],
            document.fields["total_incl_vat"]) == ("GB1232434", "Snippet1", "1656.25")
    assert document.status is DocumentStatus.INBOX
