"""Reading fields from a document's text, in Dutch, French, German and English layouts.

The texts are laid out as documents are: columns separated by wide gaps, values next to
or under their labels, the supplier's numbers in the letterhead or the footer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lucy_events.recognition.kinds import document_kind
from lucy_events.recognition.layout import layout_from_text
from lucy_events.recognition.text_fields import read_text
from lucy_events.recognition.totals import read_totals

CLIENT = frozenset({"0417.497.106"})


def read(text: str, own: frozenset[str] = CLIENT):
    return read_text(layout_from_text(text), "pdf-text", 0.95, own)


@pytest.mark.parametrize(("title", "kind"), [
    ("FACTUUR", "invoice"), ("Facture", "invoice"), ("INVOICE", "invoice"),
    ("Rechnung", "invoice"), ("Tax invoice", "invoice"), ("Factuur 2026-001", "invoice"),
    ("Facture n° F-12", "invoice"), ("Rechnung Nr. 77", "invoice"),
    ("CREDITNOTA", "credit-note"), ("Creditnota 2026-4", "credit-note"),
    ("Note de crédit", "credit-note"), ("NOTE DE CREDIT N° 9", "credit-note"),
    ("Credit note", "credit-note"), ("Gutschrift", "credit-note"), ("Avoir", "credit-note"),
    ("Kasticket", "receipt"), ("Ticket de caisse", "receipt"), ("Receipt", "receipt"),
    ("Quittung", "receipt"), ("Kassabon", "receipt"), ("Kassenbon", "receipt"),
])
def test_a_title_tells_the_kind_of_document(title: str, kind: str):
    assert document_kind(layout_from_text(f"Firma X BV\n{title}\nDatum 1/2/2026")) == (kind, 0.95)


def test_a_credit_note_naming_the_invoice_it_corrects_stays_a_credit_note():
    text = "CREDITNOTA\nBetreft factuur 2026-0311\nCreditnotanummer: CN-4"
    assert document_kind(layout_from_text(text))[0] == "credit-note"


def test_a_kind_word_in_running_text_is_weaker_than_a_title():
    kind, score = document_kind(layout_from_text("Bedankt voor uw bestelling.\n"
                                                 "Deze brief is geen factuur maar een offerte"))
    assert (kind, score) == ("invoice", 0.65)


def test_a_letter_without_any_kind_word_is_other_with_low_confidence():
    reading = read("Beste klant,\nIn bijlage vindt u onze nieuwe prijslijst.\nGroeten")
    assert reading.document_type == "other"
    assert reading.confidence < 0.3
    assert "no invoice" in (reading.reason or "")


def test_everyday_french_avoir_is_no_credit_note():
    kind, _ = document_kind(layout_from_text("Facture\nMerci de nous avoir choisis"))
    assert kind == "invoice"


DUTCH = """\
Drukkerij Peeters BV                                        FACTUUR
Stationsstraat 12
2800 Mechelen
BTW BE 0403.170.701
                                            Klant:
                                            Bakkerij Vermeulen NV
                                            Kerkstraat 5, 9000 Gent
                                            BTW: BE 0417.497.106

Factuurnummer: 2026-0042
Factuurdatum: 15/11/2026
Vervaldatum: 15 december 2026

Omschrijving                   Aantal     Prijs        Totaal
Flyers A5                      1          1.250,00     1.250,00

                               Totaal excl. btw        1.250,00
                               Btw 21%                   262,50
                               Totaal incl. btw      € 1.512,50

Gelieve te betalen op BE71 0961 2345 6769 met mededeling +++123/4567/89002+++
"""


def test_a_dutch_purchase_invoice_is_read_field_by_field():
    reading = read(DUTCH)
    assert reading.document_type == "purchase-invoice"
    assert (reading.supplier_name, reading.supplier_vat) == ("Drukkerij Peeters BV",
                                                              "BE0403170701")
    assert reading.supplier_enterprise_number == "0403170701"
    assert (reading.customer_name, reading.customer_vat) == ("Bakkerij Vermeulen NV",
                                                              "BE0417497106")
    assert reading.invoice_number == "2026-0042"
    assert (reading.issue_date, reading.due_date) == (date(2026, 11, 15), date(2026, 12, 15))
    assert (reading.total_excl_vat, reading.total_vat, reading.total_incl_vat) == (
        Decimal("1250.00"), Decimal("262.50"), Decimal("1512.50"))
    assert reading.currency == "EUR"
    assert reading.iban == "BE71096123456769"
    assert reading.structured_communication == "+++123/4567/89002+++"
    assert reading.vat_breakdown[0].rate == Decimal(21)
    assert reading.confidence > 0.9 and reading.reason is None


def test_the_same_invoice_is_a_sale_when_the_client_issued_it():
    assert read(DUTCH, frozenset({"BE0403170701"})).document_type == "sales-invoice"


def test_without_the_clients_numbers_an_invoice_is_taken_as_a_purchase_less_surely():
    sided, unsided = read(DUTCH), read(DUTCH, frozenset())
    assert unsided.document_type == "purchase-invoice"
    assert unsided.confidence < sided.confidence and unsided.confidence < 0.8
    assert "taken as a purchase" in (unsided.reason or "")


def test_when_the_clients_number_is_absent_the_client_is_the_customer():
    reading = read(DUTCH.replace("BTW: BE 0417.497.106", ""), frozenset({"BE0417497106"}))
    assert reading.document_type == "purchase-invoice"
    assert reading.supplier_vat == "BE0403170701"


FRENCH_FOOTER = """\
Menuiserie Dubois SRL                               Facture
Rue de la Station 8, 5000 Namur
                                       Facturé à :
                                       Garage De Smet SA
                                       1030 Schaerbeek
                                       TVA BE 0417.497.106

N° de facture        Date                 Échéance
F-2026/118           3 novembre 2026      03/12/2026

                                       Total HTVA          2 300,00 €
                                       TVA 6 %               138,00 €
                                       Total TVAC          2 438,00 €




Menuiserie Dubois SRL · TVA BE 0403.170.701 · IBAN BE71 0961 2345 6769
"""


def test_a_french_invoice_with_values_under_their_labels_and_numbers_in_the_footer():
    reading = read(FRENCH_FOOTER)
    assert reading.document_type == "purchase-invoice"
    assert reading.supplier_vat == "BE0403170701"
    assert reading.supplier_name == "Menuiserie Dubois SRL"
    assert reading.customer_name == "Garage De Smet SA"
    assert reading.invoice_number == "F-2026/118"
    assert reading.issue_date == date(2026, 11, 3)
    assert reading.due_date == date(2026, 12, 3)
    assert reading.total_incl_vat == Decimal("2438.00")
    assert reading.total_vat == Decimal("138.00")


GERMAN = """\
Schreinerei Becker GmbH                                  GUTSCHRIFT
Hauptstraße 3, 4700 Eupen
USt-IdNr. BE 0403.170.701
                                       Rechnungsempfänger:
                                       Elektro Maes BV
                                       USt-IdNr. BE0417497106
Gutschriftsnummer: GS-2026-07
Datum: 2. Dezember 2026
                                       Nettobetrag          100,00
                                       MwSt. 21 %            21,00
                                       Gesamtbetrag         121,00 EUR
"""


def test_a_german_credit_note():
    reading = read(GERMAN)
    assert reading.document_type == "purchase-credit-note"
    assert reading.invoice_number == "GS-2026-07"
    assert reading.issue_date == date(2026, 12, 2)
    assert (reading.total_excl_vat, reading.total_vat, reading.total_incl_vat) == (
        Decimal("100.00"), Decimal("21.00"), Decimal("121.00"))
    assert reading.customer_name == "Elektro Maes BV"


ENGLISH = """\
Northwind Ltd                                           INVOICE
VAT NL004495445B01
                                        Bill to:
                                        Studio Lumen BV
                                        VAT BE 0417 497 106
Invoice number: INV-88121
Invoice date: December 31, 2026
Due date: January 30, 2027
                                        Subtotal             €1,200.00
                                        VAT 21%                €252.00
                                        Total due            €1,452.00
"""


def test_an_english_invoice_with_a_dutch_supplier():
    reading = read(ENGLISH)
    assert reading.document_type == "purchase-invoice"
    assert reading.supplier_vat == "NL004495445B01"
    assert reading.supplier_enterprise_number is None
    assert reading.invoice_number == "INV-88121"
    assert (reading.issue_date, reading.due_date) == (date(2026, 12, 31), date(2027, 1, 30))
    assert reading.total_incl_vat == Decimal("1452.00")


RECEIPT = """\
      Bakkerij Het Gulden Brood
      BTW BE0403.170.701
      KASTICKET
      Datum: 28-11-2026 08:14
      2 x Croissant            3,00
      1 x Volkorenbrood        3,80
      TOTAAL                   6,80
      Btw 6%                   0,38
"""


def test_a_till_receipt_needs_only_its_date_and_total_to_be_sure():
    reading = read(RECEIPT)
    assert reading.document_type == "receipt"
    assert reading.issue_date == date(2026, 11, 28)
    assert reading.total_incl_vat == Decimal("6.80")
    assert reading.supplier_vat == "BE0403170701"
    assert reading.confidence >= 0.8


@pytest.mark.parametrize(("lines", "excl", "vat", "incl", "consistent"), [
    (["Subtotaal   100,00", "BTW 21%   21,00", "Totaal   121,00"], "100.00", "21.00",
     "121.00", True),
    (["Total HT   1.000,00", "TVA 20 %   200,00", "Total TTC   1.200,00"], "1000.00",
     "200.00", "1200.00", True),
    (["Netto   50,00", "USt 19%   9,50", "Summe   59,50"], "50.00", "9.50", "59.50", True),
    # the VAT of two rates adds up to the total VAT
    (["Maatstaf   300,00", "Btw 6% op 100,00   6,00", "Btw 21% op 200,00   42,00",
      "Te betalen   348,00"], "300.00", "48.00", "348.00", True),
    # exempt: no VAT line
    (["Total HTVA   500,00", "Total   500,00"], "500.00", "0", "500.00", True),
    # the grand total wins over a subtotal that does not add up
    (["Total excl. VAT   100,00", "VAT   21,00", "Total   121,00"], "100.00", "21.00",
     "121.00", True),
    # two of three found: the third is derived, but not called consistent
    (["Totaal excl. btw   100,00", "Totaal incl. btw   121,00"], "100.00", "21.00", "121.00",
     False),
    (["Totaal   121,00", "BTW   21,00"], "100.00", "21.00", "121.00", False),
])
def test_totals_are_cross_checked(lines, excl, vat, incl, consistent):
    totals = read_totals(layout_from_text("\n".join(lines)))
    assert (totals.excl, totals.vat, totals.incl, totals.consistent) == (
        Decimal(excl), Decimal(vat), Decimal(incl), consistent)


def test_a_vat_number_line_is_no_vat_amount():
    totals = read_totals(layout_from_text("BTW BE 0403.170.701\nTotaal   121,00"))
    assert totals.vat is None and totals.incl == Decimal("121.00")


@pytest.mark.parametrize(("line", "number"), [
    ("Factuurnummer: 2026-0042", "2026-0042"), ("Factuur nr. F26/118", "F26/118"),
    ("Facture n° 2026.118", "2026.118"), ("Numéro de facture : FA-99", "FA-99"),
    ("Invoice no. INV-1", "INV-1"), ("Invoice #4711", "4711"),
    ("Rechnungsnummer 2026-77", "2026-77"), ("Rechnung Nr.: R-5", "R-5"),
    ("Creditnotanummer: CN-3", "CN-3"), ("FACTUUR 2026-0042", "2026-0042"),
])
def test_the_invoice_number_is_read_after_its_label_in_each_language(line: str, number: str):
    assert read(f"Firma BV\n{line}\nDatum: 01/02/2026").invoice_number == number


@pytest.mark.parametrize(("text", "issue", "due"), [
    ("Factuurdatum: 01/02/2026\nVervaldatum: 03/03/2026", date(2026, 2, 1), date(2026, 3, 3)),
    ("Date de facture : 1 février 2026\nÉchéance : 3 mars 2026", date(2026, 2, 1),
     date(2026, 3, 3)),
    ("Rechnungsdatum: 01.02.2026\nFällig am: 03.03.2026", date(2026, 2, 1), date(2026, 3, 3)),
    ("Invoice date: February 1, 2026\nPayment due: March 3, 2026", date(2026, 2, 1),
     date(2026, 3, 3)),
    ("Te betalen voor 03/03/2026\nDatum: 2026-02-01", date(2026, 2, 1), date(2026, 3, 3)),
])
def test_issue_and_due_dates_are_told_apart_by_their_labels(text: str, issue: date, due: date):
    reading = read(f"FACTUUR\n{text}")
    assert (reading.issue_date, reading.due_date) == (issue, due)


@pytest.mark.parametrize(("lines", "number"), [
    (["Firma BV", "BTW BE 0403.170.701"], "0403170701"),
    (["Société SA", "TVA FR 40 303265045"], "303265045"),
    (["Bedrijf B.V.", "Btw-nr.: NL004495445B01", "KvK: 24301521"], "24301521"),
    (["Company B.V.", "VAT NL004495445B01", "Chamber of Commerce 24301521"], "24301521"),
    (["Firma GmbH", "USt-IdNr. DE136695976", "HRB 12345"], None),
])
def test_the_suppliers_register_number_follows_its_country(lines, number):
    reading = read("\n".join(["FACTUUR", *lines]), frozenset())
    assert reading.supplier_enterprise_number == number


def test_a_vat_summary_table_gives_the_breakdown_per_rate():
    text = """\
FACTUUR
BTW %        Maatstaf        BTW-bedrag
21 %         2.167,90        455,26
6 %          100,00          6,00
Totaal excl. btw      2.267,90
Totaal btw              461,26
Totaal incl. btw      2.729,16
"""
    breakdown = read(text).vat_breakdown
    assert [(line.rate, line.taxable, line.vat) for line in breakdown] == [
        (Decimal(21), Decimal("2167.90"), Decimal("455.26")),
        (Decimal(6), Decimal("100.00"), Decimal("6.00"))]
