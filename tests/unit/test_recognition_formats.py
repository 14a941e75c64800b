"""Amounts, dates and identifying numbers as Belgian, Dutch, French, German and English
documents write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lucy_events.recognition.identifiers import (
    belgian_enterprise_numbers,
    canonical_structured_communication,
    ibans,
    party_keys,
    structured_communications,
    vat_numbers,
)
from lucy_events.recognition.local_formats import amounts, dates, parse_amount


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("1.234,56", "1234.56", None),
    ("1,234.56", "1234.56", None),
    ("1 234,56", "1234.56", None),
    ("1\u00a0234,56", "1234.56", None),
    ("1\u202f234,56 €", "1234.56", "EUR"),
    ("1'234.56 CHF", "1234.56", "CHF"),
    ("€ 1.234,56", "1234.56", "EUR"),
    ("€1,234.56", "1234.56", "EUR"),
    ("EUR 99,00", "99.00", "EUR"),
    ("99.00 EUR", "99.00", "EUR"),
    ("£ 12.50", "12.50", "GBP"),
    ("0,38", "0.38", None),
    ("1.234.567,89", "1234567.89", None),
    ("-12,50", "-12.50", None),
    ("€ -12,50", "-12.50", "EUR"),
    ("12,50-", "-12.50", None),
])
def test_an_amount_is_read_in_every_local_format(text: str, value: str, currency: str | None):
    found = amounts(text)
    assert [(a.value, a.currency) for a in found] == [(Decimal(value), currency)]


@pytest.mark.parametrize("text", ["1.234", "12,5", "2026", "31/12/2026", "1.234.56",
                                  "BE0403.170.701", "+32 2 123 45 67"])
def test_what_is_not_money_is_not_read_as_an_amount(text: str):
    assert amounts(text) == []


def test_the_last_amount_on_a_line_is_its_value():
    assert parse_amount("Btw 21% op 1.445,00     303,45") == Decimal("303.45")
    assert parse_amount("Totaal") is None


@pytest.mark.parametrize("text", [
    "31/12/2026", "31.12.2026", "31-12-2026", "2026-12-31", "31/12/26", "31 / 12 / 2026",
    "31 december 2026", "31 décembre 2026", "31. Dezember 2026", "December 31, 2026",
    "Dec 31, 2026", "31 Dec 2026", "31 déc. 2026", "31st December 2026",
    "Factuurdatum: 31/12/2026", "le 31 décembre 2026",
])
def test_a_date_is_read_in_every_local_format(text: str):
    assert [d.value for d in dates(text)] == [date(2026, 12, 31)]


@pytest.mark.parametrize(("text", "expected"), [
    ("1er mars 2026", date(2026, 3, 1)),
    ("3 februari 2026", date(2026, 2, 3)),
    ("3 février 2026", date(2026, 2, 3)),
    ("5 févr. 2026", date(2026, 2, 5)),
    ("3. März 2026", date(2026, 3, 3)),
    ("17 mei 2026", date(2026, 5, 17)),
    ("1 août 2026", date(2026, 8, 1)),
    ("04/05/2026", date(2026, 5, 4)),  # day first, as in Belgium
    ("12/31/2026", date(2026, 12, 31)),  # only month first makes sense
    ("3 Sept. 2026", date(2026, 9, 3)),
])
def test_month_names_and_day_first_dates(text: str, expected: date):
    assert [d.value for d in dates(text)] == [expected]


@pytest.mark.parametrize("text", ["31/02/2026", "99.99.2026", "1.234,56", "2026", "12:30"])
def test_what_is_no_date_is_not_read_as_one(text: str):
    assert dates(text) == []


@pytest.mark.parametrize(("text", "vat"), [
    ("BTW BE 0403.170.701", "BE0403170701"),
    ("TVA: BE0403170701", "BE0403170701"),
    ("BE 0403 170 701", "BE0403170701"),
    ("btw be0403.170.701", "BE0403170701"),
    ("BTW NL004495445B01", "NL004495445B01"),
    ("USt-IdNr. DE136695976", "DE136695976"),
    ("TVA intracom. FR40303265045", "FR40303265045"),
    ("TVA LU15027442", "LU15027442"),
    ("VAT BE0403170701 IBAN BE71 0961 2345 6769", "BE0403170701"),
])
def test_a_valid_vat_number_is_read_compact(text: str, vat: str):
    assert [found.value for found in vat_numbers(text)] == [vat]


@pytest.mark.parametrize("text", ["BTW BE 0403.170.702", "NL004495446B01", "BETALING 1234",
                                  "DE 2026", "Deutschland"])
def test_a_vat_number_with_wrong_check_digits_is_not_read(text: str):
    assert vat_numbers(text) == []


def test_an_iban_is_never_read_as_a_vat_number():
    assert vat_numbers("IBAN DE27 7002 0270 8131 7500 21") == []


def test_a_belgian_enterprise_number_without_prefix_is_read_when_valid():
    assert [f.value for f in belgian_enterprise_numbers("Ondernemingsnummer 0403.170.701")] == [
        "0403170701"]
    assert belgian_enterprise_numbers("Tel. 0403 170 702") == []


@pytest.mark.parametrize(("text", "iban"), [
    ("IBAN BE71 0961 2345 6769", "BE71096123456769"),
    ("iban: be71096123456769 BIC GKCCBEBB", "BE71096123456769"),
    ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ("IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
])
def test_a_valid_iban_is_read_compact(text: str, iban: str):
    assert [found.value for found in ibans(text)] == [iban]


def test_an_iban_failing_mod_97_is_not_read():
    assert ibans("IBAN BE72 0961 2345 6769") == []


@pytest.mark.parametrize("text", [
    "+++123/4567/89002+++", "+++ 123 / 4567 / 89002 +++", "***123/4567/89002***",
    "Mededeling: +++123/4567/89002+++ graag vermelden",
])
def test_a_structured_communication_is_read_in_its_canonical_form(text: str):
    assert [f.value for f in structured_communications(text)] == ["+++123/4567/89002+++"]


def test_a_structured_communication_failing_mod_97_is_not_read():
    assert structured_communications("+++123/4567/89001+++") == []
    assert canonical_structured_communication("123456789002") == "+++123/4567/89002+++"
    assert canonical_structured_communication("Snippet1") is None


def test_a_party_is_the_same_whichever_way_its_number_is_written():
    keys = party_keys(["0403.170.701"])
    assert party_keys(["BE 0403 170 701"]) & keys
    assert party_keys(["BE0403170701"]) == keys
    assert not party_keys(["BE0417497106"]) & keys
