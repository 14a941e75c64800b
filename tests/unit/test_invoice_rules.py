"""The invoice's own rules, without I/O: totals as EN16931 computes them, VAT
categories, the structured communication, and an issued invoice never changing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_numbers import InvoiceNumbers
from lucy_events.aggregates.invoice_rules import (
    InvoiceAlreadyIssued,
    InvoiceNotIssued,
    checked_line,
    structured_communication,
    valid_structured_communication,
)
from lucy_events.aggregates.invoice_settings import checked_settings
from lucy_events.aggregates.invoice_totals import totals
from lucy_events.invoicing.findings import field_of
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values

BY = Actor.system("test")


def _draft(**overrides) -> Invoice:
    return Invoice.draft(invoice_id=uuid4(), firm_id=uuid4(), client_id=uuid4(), by=BY,
                         **draft_values(**overrides))


def _issue(invoice: Invoice, number: str = "INV-2026-00001") -> None:
    invoice.issue(number=number, issue_date=date(2026, 12, 1),
                  structured_communication=structured_communication(2600000001),
                  seller={"name": "Bakkerij Claes"}, language="nl", ubl_ref="sha256:a",
                  pdf_ref="sha256:b", document_id=uuid4(), by=BY)


def test_totals_round_each_line_then_sum_then_round_vat_per_category_and_rate():
    lines = [checked_line({"description": "a", "quantity": "3", "unit_price": "0.335",
                           "vat_rate": "21"}, 0),
             checked_line({"description": "b", "quantity": "1", "unit_price": "10",
                           "vat_category": "S", "vat_rate": "6"}, 1),
             checked_line({"description": "c", "quantity": "2", "unit_price": "5",
                           "vat_category": "E", "exemption_reason": "Art. 44"}, 2)]
    result = totals(lines, [{"charge": "false", "reason": "Korting", "amount": "1.00",
                             "vat_category": "S", "vat_rate": "21"}])
    assert result.lines == Decimal("21.01")  # 1.005 rounds to 1.01 per line
    assert result.excl_vat == Decimal("20.01")
    assert [(s.category, s.rate, s.taxable, s.vat) for s in result.breakdown] == [
        ("S", "21", Decimal("0.01"), Decimal("0.00")), ("S", "6", Decimal("10.00"),
                                                        Decimal("0.60")),
        ("E", "0", Decimal("10.00"), Decimal("0.00"))]
    assert result.incl_vat == Decimal("20.61")
    assert all(isinstance(v, Decimal) for v in (result.vat, result.payable))


@pytest.mark.parametrize("line, field", [
    ({"description": "x", "quantity": "1", "unit_price": "1", "vat_category": "E"},
     "lines[0].exemption_reason"),
    ({"description": "x", "quantity": "1", "unit_price": "1", "vat_category": "S",
      "vat_rate": "0"}, "lines[0].vat_rate"),
    ({"description": "x", "quantity": "1", "unit_price": "1", "vat_category": "Z",
      "vat_rate": "21"}, "lines[0].vat_rate"),
    ({"description": "x", "quantity": "0", "unit_price": "1"}, "lines[0].quantity"),
    ({"description": "x", "quantity": "1", "unit_price": "1,5x"}, "lines[0].unit_price"),
    ({"description": "x", "quantity": "1", "unit_price": "1", "unit": "BOX"}, "lines[0].unit"),
    ({"description": "", "quantity": "1", "unit_price": "1"}, "lines[0].description"),
    ({"description": "x", "quantity": "1", "unit_price": "1", "vat_category": "Q"},
     "lines[0].vat_category"),
])
def test_a_line_that_breaks_a_rule_is_refused_naming_its_field(line, field):
    with pytest.raises(InvalidValue) as error:
        checked_line(line, 0)
    assert error.value.field == field


def test_category_o_has_no_rate_and_zero_rated_categories_keep_their_reason():
    line = checked_line({"description": "x", "quantity": "1", "unit_price": "1",
                         "vat_category": "O", "vat_rate": "21",
                         "exemption_reason": "Niet onderworpen"}, 0)
    assert (line["vat_rate"], line["exemption_reason"]) == ("", "Niet onderworpen")


def test_the_structured_communication_carries_its_mod_97_check():
    assert structured_communication(2600000001) == "+++260/0000/00170+++"
    assert structured_communication(9700000000) == "+++970/0000/00097+++"  # 0 becomes 97
    assert valid_structured_communication("+++260/0000/00170+++")
    assert not valid_structured_communication("+++260/0000/00171+++")


def test_an_issued_invoice_never_changes_and_a_credit_note_needs_an_issued_invoice():
    invoice = _draft()
    with pytest.raises(InvoiceNotIssued):
        Invoice.draft(invoice_id=uuid4(), firm_id=invoice.firm_id, client_id=invoice.client_id,
                      by=BY, kind="credit-note", credits=invoice, **draft_values())
    invoice.edit(by=BY, **draft_values(note="Bedankt"))
    _issue(invoice)
    with pytest.raises(InvoiceAlreadyIssued):
        invoice.edit(by=BY, **draft_values())
    with pytest.raises(InvoiceAlreadyIssued):
        _issue(invoice, "INV-2026-00002")
    credit = Invoice.draft(invoice_id=uuid4(), firm_id=invoice.firm_id,
                           client_id=invoice.client_id, by=BY, kind="credit-note",
                           credits=invoice, **draft_values())
    assert (credit.credited_invoice_id, credit.credited_number) == (invoice.id, invoice.number)


def test_a_draft_needs_a_line_and_a_customer_with_an_address():
    with pytest.raises(InvalidValue) as error:
        _draft(lines=[])
    assert error.value.field == "lines"
    with pytest.raises(InvalidValue) as error:
        _draft(customer={**CUSTOMER, "city": ""})
    assert error.value.field == "customer.city"
    with pytest.raises(InvalidValue) as error:
        _draft(customer={**CUSTOMER, "enterprise_number": "0202239952"})
    assert error.value.field == "customer.enterprise_number"


def test_numbers_follow_each_other_from_one_per_client_and_year():
    numbers = InvoiceNumbers.start(firm_id=uuid4(), client_id=uuid4(), year=2026, by=BY)
    assert [numbers.take(uuid4(), BY) for _ in range(3)] == [1, 2, 3]
    assert InvoiceNumbers.id_for(numbers.client_id, 2026) == numbers.id
    assert InvoiceNumbers.id_for(numbers.client_id, 2027) != numbers.id


@pytest.mark.parametrize("field, value", [
    ("iban", "BE71 0961 2345 6768"), ("bic", "GKCC"), ("language", "de"),
    ("payment_terms_days", "soon"), ("number_prefix", "INV/"), ("seller_name", ""),
])
def test_invoice_settings_refuse_a_wrong_value_naming_the_field(field, value):
    with pytest.raises(InvalidValue) as error:
        checked_settings({**SETTINGS, field: value}, None, None)
    assert error.value.field == field


def test_settings_keep_the_iban_compact_and_number_with_prefix_year_and_sequence():
    values = checked_settings(SETTINGS, None, None)
    assert (values.iban, values.bic) == ("BE71096123456769", "GKCCBEBB")
    assert values.number(2026, 7) == "INV-2026-00007"


@pytest.mark.parametrize("location, field", [
    ("/*:Invoice/*:InvoiceLine[2]/*:Item", "lines[1]"),
    ("/*:Invoice/cac:AllowanceCharge[1]", "adjustments[0]"),
    ("/*:Invoice/*:AccountingCustomerParty/*:Party", "customer"),
    ("/*:Invoice/*:PaymentMeans/*:PayeeFinancialAccount", "settings.iban"),
    ("/*:Invoice", "invoice"),
])
def test_a_rule_location_points_at_the_form_field_it_concerns(location, field):
    assert field_of(location) == field
