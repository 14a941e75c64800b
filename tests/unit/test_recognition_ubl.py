"""Reading UBL invoices and credit notes: the official Peppol BIS 3 examples, and
Belgian variants of them (bare, inside an SBD header, embedded in a Factur-X PDF)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lucy_events.peppol.xml import UnsafeOrMalformedXml
from lucy_events.recognition.cii import read_cii
from lucy_events.recognition.fields import JSON_KEYS
from lucy_events.recognition.ubl import read_ubl
from tests.recognition_documents import (
    CUSTOMER_VAT,
    IBAN,
    PEPPOL_EXAMPLES,
    SUPPLIER_VAT,
    belgian_ubl,
    cii_xml,
    in_sbd,
)


def example(name: str) -> bytes:
    return (PEPPOL_EXAMPLES / name).read_bytes()


def test_the_peppol_base_example_is_read_field_by_field():
    reading = read_ubl(example("base-example.xml"))
    assert reading.method == "ubl"
    assert reading.document_type == "purchase-invoice"
    assert reading.supplier_name == "SupplierTradingName Ltd."  # the trading name
    assert reading.supplier_vat == "GB1232434"
    assert (reading.customer_name, reading.customer_vat) == ("BuyerTradingName AS",
                                                              "SE4598375937")
    assert reading.invoice_number == "Snippet1"
    assert (reading.issue_date, reading.due_date) == (date(2017, 11, 13), date(2017, 12, 1))
    assert reading.currency == "EUR"
    assert (reading.total_excl_vat, reading.total_vat, reading.total_incl_vat) == (
        Decimal("1325"), Decimal("331.25"), Decimal("1656.25"))
    assert reading.iban is None  # "IBAN32423940" is a placeholder, no valid IBAN
    assert reading.structured_communication is None  # "Snippet1" is no Belgian one


def test_the_peppol_credit_note_example_is_a_credit_note():
    assert read_ubl(example("base-creditnote-correction.xml")).document_type == (
        "purchase-credit-note")


def test_the_vat_breakdown_has_one_line_per_rate():
    reading = read_ubl(example("Vat-category-S.xml"))
    assert [(line.rate, line.taxable, line.vat) for line in reading.vat_breakdown] == [
        (Decimal(25), Decimal("5000.0"), Decimal(1250)), (Decimal(15), Decimal("2000.0"),
                                                          Decimal(300))]
    assert reading.total_vat == Decimal("1550.00")


def test_an_exempt_invoice_has_no_vat():
    reading = read_ubl(example("vat-category-E.xml"))
    assert reading.total_vat == Decimal("0")
    assert reading.total_incl_vat == reading.total_excl_vat == Decimal("1200.00")
    assert reading.currency == "GBP"


def test_the_side_follows_the_clients_numbers_in_any_spelling():
    ubl = belgian_ubl()
    assert read_ubl(ubl, frozenset({"0417.497.106"})).document_type == "purchase-invoice"
    assert read_ubl(ubl, frozenset({"BE 0403 170 701"})).document_type == "sales-invoice"
    sided, unsided = read_ubl(ubl, frozenset({"0417497106"})), read_ubl(ubl)
    assert sided.confidence > 0.95 and sided.reason is None
    assert unsided.confidence < 0.8 and "taken as a purchase" in (unsided.reason or "")


def test_a_belgian_invoice_gives_enterprise_number_iban_and_structured_communication():
    reading = read_ubl(belgian_ubl(), frozenset({CUSTOMER_VAT}))
    assert reading.supplier_vat == SUPPLIER_VAT
    assert reading.supplier_enterprise_number == "0403170701"
    assert reading.iban == IBAN
    assert reading.structured_communication == "+++123/4567/89002+++"


def test_an_invoice_inside_an_sbd_header_reads_the_same():
    assert read_ubl(in_sbd(belgian_ubl())) == read_ubl(belgian_ubl())


@pytest.mark.parametrize("content", [
    b"<not-xml", b"<root/>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
])
def test_what_is_no_ubl_invoice_is_refused_with_a_reason(content: bytes):
    with pytest.raises(UnsafeOrMalformedXml):
        read_ubl(content)


def test_a_factur_x_cross_industry_invoice_is_read_field_by_field():
    reading = read_cii(cii_xml(), frozenset({CUSTOMER_VAT}))
    assert reading is not None
    assert reading.method == "factur-x"
    assert reading.document_type == "purchase-invoice"
    assert (reading.supplier_name, reading.supplier_vat) == ("Fournitures Lambert SA",
                                                              SUPPLIER_VAT)
    assert reading.invoice_number == "FX-2026-001"
    assert (reading.issue_date, reading.due_date) == (date(2026, 11, 5), date(2026, 12, 5))
    assert (reading.total_excl_vat, reading.total_vat, reading.total_incl_vat) == (
        Decimal("200.00"), Decimal("42.00"), Decimal("242.00"))
    assert reading.iban == IBAN
    assert reading.structured_communication == "+++123/4567/89002+++"
    assert [(line.rate, line.vat) for line in reading.vat_breakdown] == [
        (Decimal(21), Decimal("42.00"))]


def test_a_factur_x_credit_note_for_a_client_who_issued_it_is_a_sales_credit_note():
    reading = read_cii(cii_xml(type_code="381"), frozenset({SUPPLIER_VAT}))
    assert reading is not None and reading.document_type == "sales-credit-note"


def test_an_embedded_xml_of_another_kind_is_not_read():
    assert read_cii(b"<order/>") is None


def test_the_json_shape_has_exactly_the_published_keys():
    shape = read_ubl(belgian_ubl(), frozenset({CUSTOMER_VAT})).as_json()
    assert tuple(shape) == JSON_KEYS
    assert shape["issue_date"] == "2017-11-13"
    assert shape["total_incl_vat"] == 1656.25 and isinstance(shape["confidence"], float)
