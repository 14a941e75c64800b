"""The recognition pipeline on real files: text PDFs drawn with reportlab, a Factur-X PDF,
scans read by Debian's tesseract, and the files that cannot be read.

OCR cases are few and small on purpose: each costs a tesseract run (about 2 s here).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lucy_events.recognition import ocr
from lucy_events.recognition.pipeline import recognise
from tests.conftest import service_missing
from tests.recognition_documents import (
    CUSTOMER_VAT,
    SUPPLIER_VAT,
    Text,
    belgian_ubl,
    cii_xml,
    dutch_invoice,
    english_invoice,
    facturx_pdf,
    french_invoice,
    german_credit_note,
    image_only_pdf,
    in_sbd,
    receipt,
    scan_png,
    text_pdf,
)

CLIENT = frozenset({"0417.497.106"})
KEYS = ("supplier_vat", "invoice_number", "issue_date", "total_incl_vat")


@pytest.fixture
def tesseract() -> None:
    reason = ocr.ocr_unavailable_reason()
    if reason is not None:
        service_missing(reason)


def key_fields(reading) -> tuple:
    return tuple(getattr(reading, key) for key in KEYS)


@pytest.mark.parametrize(("pages", "kind", "expected"), [
    (dutch_invoice(), "purchase-invoice",
     (SUPPLIER_VAT, "2026-0042", date(2026, 11, 15), Decimal("1748.45"))),
    (french_invoice(), "purchase-invoice",
     (SUPPLIER_VAT, "F-2026/118", date(2026, 11, 3), Decimal("2438.00"))),
    (german_credit_note(), "purchase-credit-note",
     (SUPPLIER_VAT, "GS-2026-07", date(2026, 12, 2), Decimal("121.00"))),
    (english_invoice(), "purchase-invoice",
     ("NL004495445B01", "INV-88121", date(2026, 12, 31), Decimal("1452.00"))),
    (receipt(), "receipt", (SUPPLIER_VAT, None, date(2026, 11, 28), Decimal("6.80"))),
])
def test_a_text_pdf_is_read_from_its_text_layer(pages, kind, expected):
    reading = recognise(text_pdf(pages), own_numbers=CLIENT)
    assert reading.method == "pdf-text"
    assert reading.document_type == kind
    assert key_fields(reading) == expected
    assert reading.confidence >= 0.8


def test_the_supplier_is_found_in_the_letterhead_with_positions():
    reading = recognise(text_pdf(dutch_invoice()), own_numbers=CLIENT)
    assert (reading.supplier_name, reading.customer_name) == ("Drukkerij Peeters BV",
                                                              "Bakkerij Vermeulen NV")
    assert reading.structured_communication == "+++123/4567/89002+++"
    assert reading.due_date == date(2026, 12, 15)


def test_a_factur_x_pdf_is_read_from_its_xml_not_its_text():
    pdf = facturx_pdf(cii_xml(), with_text=[Text(50, 60, "FACTUUR 999 totaal 1,00")])
    reading = recognise(pdf, own_numbers=CLIENT)
    assert reading.method == "factur-x"
    assert (reading.invoice_number, reading.total_incl_vat) == ("FX-2026-001",
                                                                Decimal("242.00"))
    assert reading.confidence >= 0.95


@pytest.mark.parametrize("wrap", [lambda ubl: ubl, in_sbd])
def test_a_ubl_file_is_read_as_ubl(wrap):
    reading = recognise(wrap(belgian_ubl()), own_numbers=CLIENT)
    assert (reading.method, reading.document_type) == ("ubl", "purchase-invoice")
    assert reading.customer_vat == CUSTOMER_VAT


def test_an_encrypted_pdf_stays_unrecognised_with_its_reason():
    reading = recognise(text_pdf(dutch_invoice(), encrypt="secret"))
    assert (reading.method, reading.document_type, reading.confidence) == ("none", None, 0.0)
    assert reading.reason == "the PDF is encrypted (it needs a password to open)"


@pytest.mark.parametrize("content", [
    b"%PDF-1.4 this is not really a PDF", text_pdf(dutch_invoice())[:400],
])
def test_a_corrupt_pdf_stays_unrecognised_with_its_reason(content: bytes):
    reading = recognise(content)
    assert reading.method == "none"
    assert reading.reason is not None and "corrupt" in reading.reason


def test_a_file_of_no_accepted_kind_says_so():
    reading = recognise(b"GIF89a...")
    assert reading.method == "none" and "not a PDF" in (reading.reason or "")


def test_a_document_that_takes_longer_than_its_time_limit_is_abandoned():
    reading = recognise(text_pdf(dutch_invoice() * 3), time_limit=0.000001)
    assert reading.method == "none"
    assert "time limit" in (reading.reason or "")


def test_a_scanned_invoice_is_read_by_ocr(tesseract):
    reading = recognise(scan_png(text_pdf(dutch_invoice())), own_numbers=CLIENT)
    assert reading.method == "ocr"
    assert reading.document_type == "purchase-invoice"
    assert key_fields(reading) == (SUPPLIER_VAT, "2026-0042", date(2026, 11, 15),
                                   Decimal("1748.45"))
    assert 0.5 < reading.confidence <= 0.85


def test_an_image_only_pdf_is_read_by_ocr(tesseract):
    scan = image_only_pdf(scan_png(text_pdf(french_invoice()), rotate=-0.5))
    reading = recognise(scan, "application/pdf", own_numbers=CLIENT)
    assert reading.method == "ocr"
    assert reading.document_type == "purchase-invoice"
    assert reading.total_incl_vat == Decimal("2438.00")
    assert reading.supplier_vat == SUPPLIER_VAT


def test_ocr_that_outruns_the_time_limit_is_killed(tesseract):
    reading = recognise(scan_png(text_pdf(dutch_invoice()), dpi=300), time_limit=0.3)
    assert reading.method == "none"
    assert "time limit" in (reading.reason or "")


def test_without_tesseract_a_scan_says_ocr_is_not_installed(tmp_path: Path, monkeypatch):
    png = scan_png(text_pdf(receipt()))
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the tesseract binary
    ocr.ocr_unavailable_reason.cache_clear()
    try:
        reading = recognise(png)
    finally:
        ocr.ocr_unavailable_reason.cache_clear()  # PATH comes back at teardown
    assert reading.method == "none"
    assert (reading.reason or "").startswith("OCR is not installed")


def test_a_vague_media_type_is_replaced_by_what_the_content_is():
    reading = recognise(belgian_ubl(), "application/octet-stream", own_numbers=CLIENT)
    assert reading.method == "ubl"
