"""The generated documents are valid: check digits, totals, parseable UBL and Factur-X,
real images for scans, and the same bytes for the same seed."""

from __future__ import annotations

import base64
import io
import random
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from facturx import get_xml_from_pdf
from lxml import etree
from PIL import Image
from stdnum import iban
from stdnum.be import ogm_vcs
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.fr import siren, tva
from stdnum.nl import btw

from lucy_events.intake.media_types import sniff
from lucy_events.peppol.xml import parse_untrusted, ubl_document
from lucy_events.samples import scan
from lucy_events.samples.corpus import corpus, render, sample
from lucy_events.samples.formats import Formats
from lucy_events.samples.invoices import make_invoice
from lucy_events.samples.layouts import LAYOUTS
from lucy_events.samples.model import cents
from lucy_events.samples.sbd import participant

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
VAT_CHECKS = {"BE": be_vat.is_valid, "NL": btw.is_valid, "FR": tva.is_valid,
              "DE": de_vat.is_valid}


def _invoices(count: int = 80):
    for index in range(count):
        rng = random.Random(index)
        yield make_invoice(rng, kind=("invoice", "credit-note", "receipt")[index % 3],
                           side=("purchase", "sales")[index % 2],
                           language=("nl", "fr", "en", "de")[index % 4],
                           issued=date(2026, 1, 1 + index % 28))


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_every_party_has_valid_vat_company_numbers_and_iban():
    for invoice in _invoices():
        for party in (invoice.supplier, invoice.customer):
            assert party.vat and VAT_CHECKS[party.country](party.vat), party
            if party.country == "BE":
                assert party.vat == "BE" + party.enterprise_number
            if party.country == "FR":
                assert siren.is_valid(party.enterprise_number)
            assert party.iban and iban.is_valid(party.iban), party


def test_belgian_structured_communications_pass_the_mod_97_check():
    found = [i.structured_communication for i in _invoices() if i.structured_communication]
    assert found
    for communication in found:
        assert communication.startswith("+++") and communication.endswith("+++")
        assert ogm_vcs.is_valid(communication.strip("+"))


def test_totals_add_up_per_rate_and_overall():
    for invoice in _invoices():
        breakdown = invoice.vat_breakdown
        assert sum(v.taxable for v in breakdown) == invoice.total_excl_vat
        for v in breakdown:
            assert v.vat == cents(v.taxable * v.rate / 100)
        assert invoice.total_excl_vat == sum(line.amount for line in invoice.lines)
        assert invoice.total_incl_vat == invoice.total_excl_vat + invoice.total_vat
        label = invoice.label("pdf-text")
        assert label.total_incl_vat == invoice.total_incl_vat > 0


def test_a_text_pdf_prints_the_labelled_values_in_its_own_formats():
    for index, invoice in enumerate(_invoices(12)):
        made = render(invoice, "pdf-text", random.Random(index))
        assert sniff(made.content) == "application/pdf"
        formats = Formats(invoice.language, made.number_style, made.date_style, False, False)
        text = _pdf_text(made.content).replace(" ", "")
        assert invoice.number in text
        assert formats.number(invoice.total_incl_vat).replace(" ", "") in text
        assert formats.date(invoice.issue_date).replace(" ", "") in text


def test_the_six_layouts_and_every_number_and_date_style_appear_in_the_corpus():
    samples = list(corpus(seed=3, count=90, scans=0))
    assert {s.layout for s in samples} >= {layout.name for layout in LAYOUTS} | {"ticket"}
    assert {s.number_style for s in samples} >= {"1.234,56", "1,234.56", "1 234,56"}
    assert {s.language for s in samples} == {"nl", "fr", "en", "de"}
    assert {s.form for s in samples} >= {"pdf-text", "ubl", "factur-x"}
    assert {"31 décembre 2026", "31. Dezember 2026", "2026-12-31", "31.12.2026"} <= {
        s.date_style for s in samples}


def test_formats_write_amounts_and_dates_the_local_way():
    value = Decimal("1234.56")
    assert Formats("nl", "1.234,56", "31/12/2026", False, False).number(value) == "1.234,56"
    assert Formats("en", "1,234.56", "31/12/2026", False, False).number(value) == "1,234.56"
    assert Formats("fr", "1 234,56", "31/12/2026", False, False).number(value) == "1 234,56"
    day = date(2026, 12, 31)
    assert Formats("de", "1.234,56", "31. Dezember 2026", 0, 0).date(day) == "31. Dezember 2026"
    assert Formats("fr", "1 234,56", "31 décembre 2026", 0, 0).date(day) == "31 décembre 2026"
    assert Formats("de", "1.234,56", "31.12.2026", 0, 0).date(day) == "31.12.2026"


@pytest.mark.parametrize("kind", ["invoice", "credit-note"])
def test_ubl_parses_safely_and_carries_the_labelled_totals(kind):
    invoice = make_invoice(random.Random(5), kind=kind, side="purchase", language="nl",
                           issued=date(2026, 3, 9))
    made = render(invoice, "ubl", random.Random(5), embed_pdf=True)
    root = ubl_document(parse_untrusted(made.content))
    assert etree.QName(root).localname == ("CreditNote" if kind == "credit-note" else "Invoice")
    assert root.findtext(f"{CBC}ID") == invoice.number
    total = root.find(f"{CAC}LegalMonetaryTotal").findtext(f"{CBC}TaxInclusiveAmount")
    assert Decimal(total) == invoice.total_incl_vat
    supplier_vat = root.find(f"{CAC}AccountingSupplierParty//{CAC}PartyTaxScheme")
    assert supplier_vat.findtext(f"{CBC}CompanyID") == invoice.supplier.vat
    embedded = root.find(f"{CAC}AdditionalDocumentReference//{CBC}EmbeddedDocumentBinaryObject")
    assert base64.b64decode(embedded.text).startswith(b"%PDF-")


def test_ubl_in_a_peppol_envelope_is_still_found_and_names_both_participants():
    invoice = make_invoice(random.Random(6), kind="invoice", side="sales", language="nl",
                           issued=date(2026, 4, 1))
    made = render(invoice, "ubl", random.Random(6), envelope=True)
    assert sniff(made.content) == "application/xml"
    root = parse_untrusted(made.content)
    assert etree.QName(root).localname == "StandardBusinessDocument"
    assert ubl_document(root).findtext(f"{CBC}ID") == invoice.number
    ids = [e.text for e in root.iter("{*}Identifier") if e.get("Authority")]
    assert ids == [participant(invoice.supplier), participant(invoice.customer)]


def test_factur_x_embeds_cii_xml_with_the_invoice_number():
    invoice = make_invoice(random.Random(8), kind="invoice", side="purchase", language="fr",
                           issued=date(2026, 6, 1))
    made = render(invoice, "factur-x", random.Random(8))
    name, xml = get_xml_from_pdf(made.content, check_xsd=True)
    assert name == "factur-x.xml"
    assert invoice.number.encode() in xml and invoice.supplier.vat.encode() in xml
    assert made.label.method == "factur-x"


@pytest.mark.parametrize("kind", sorted(scan.KINDS))
def test_scans_are_images_without_a_text_layer(kind):
    invoice = make_invoice(random.Random(2), kind="invoice", side="purchase", language="de",
                           issued=date(2026, 2, 2))
    made = render(invoice, "scan", random.Random(2), scan_kind=kind)
    assert made.media_type == sniff(made.content) == scan.KINDS[kind][0]
    if kind == "pdf":
        assert _pdf_text(made.content).strip() == ""
    else:
        image = Image.open(io.BytesIO(made.content))
        assert image.width > 1000 and image.height > 1000
    assert made.label.method == "ocr"


def test_the_same_seed_makes_the_same_documents_and_another_seed_others():
    for index in (0, 5, 7, 11):  # a scan, text PDFs, a receipt, UBL
        first, again = sample(9, index, 20, 2), sample(9, index, 20, 2)
        assert first.content == again.content and first.label == again.label
        assert sample(10, index, 20, 2).content != first.content
