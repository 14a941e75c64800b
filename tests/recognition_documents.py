"""Real documents for the recognition tests: text PDFs drawn with reportlab, scans made by
rasterising them with pypdfium2 (slightly rotated, as a scanner leaves them), a Factur-X
PDF with its CII XML attached by the factur-x library, and Belgian variants of the
official Peppol examples.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PEPPOL_EXAMPLES = Path(__file__).parent / "data" / "peppol-bis3-examples"

SUPPLIER_VAT = "BE0403170701"
CUSTOMER_VAT = "BE0417497106"
IBAN = "BE71096123456769"
COMMUNICATION = "+++123/4567/89002+++"


@dataclass(frozen=True)
class Text:
    """One piece of text on an A4 page: x and y in points from the top left."""

    x: float
    y: float
    text: str
    size: float = 10
    bold: bool = False


def text_pdf(pages: Sequence[Sequence[Text]], *, encrypt: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, encrypt=encrypt)
    height = A4[1]
    for page in pages:
        for item in page:
            pdf.setFont("Helvetica-Bold" if item.bold else "Helvetica", item.size)
            pdf.drawString(item.x, height - item.y, item.text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def scan_png(pdf: bytes, *, dpi: int = 200, rotate: float = 0.7) -> bytes:
    """The first page as a grey scan: rasterised, slightly rotated."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    document.close()
    image = image.rotate(rotate, expand=True, fillcolor=255)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_only_pdf(png: bytes) -> bytes:
    """A PDF holding nothing but a picture of the page, as a scanner makes it."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, format="PDF", resolution=200)
    return out.getvalue()


def dutch_invoice(*, number: str = "2026-0042", supplier_vat: str = "BE 0403.170.701",
                  customer_vat: str = "BE 0417.497.106") -> list[list[Text]]:
    """A Belgian invoice: letterhead top left, customer block at the right under "Klant",
    fields, a line table and totals at the bottom right."""
    return [[
        Text(50, 60, "Drukkerij Peeters BV", 14, bold=True),
        Text(50, 76, "Stationsstraat 12"),
        Text(50, 90, "2800 Mechelen"),
        Text(50, 104, f"BTW {supplier_vat}"),
        Text(400, 60, "FACTUUR", 18, bold=True),
        Text(340, 140, "Klant:"),
        Text(340, 154, "Bakkerij Vermeulen NV"),
        Text(340, 168, "Kerkstraat 5"),
        Text(340, 182, "9000 Gent"),
        Text(340, 196, f"BTW: {customer_vat}"),
        Text(50, 240, f"Factuurnummer: {number}"),
        Text(50, 254, "Factuurdatum: 15/11/2026"),
        Text(50, 268, "Vervaldatum: 15 december 2026"),
        Text(50, 310, "Omschrijving"), Text(300, 310, "Aantal"), Text(360, 310, "Prijs"),
        Text(470, 310, "Totaal"),
        Text(50, 326, "Flyers A5, 2.500 stuks"), Text(300, 326, "1"), Text(360, 326, "1.250,00"),
        Text(470, 326, "1.250,00"),
        Text(50, 340, "Ontwerp"), Text(300, 340, "3"), Text(360, 340, "65,00"),
        Text(470, 340, "195,00"),
        Text(330, 390, "Totaal excl. btw"), Text(470, 390, "1.445,00"),
        Text(330, 404, "Btw 21%"), Text(470, 404, "303,45"),
        Text(330, 418, "Totaal incl. btw", bold=True), Text(470, 418, "€ 1.748,45", bold=True),
        Text(50, 470, f"Gelieve te betalen op {IBAN[:4]} {IBAN[4:8]} {IBAN[8:12]} {IBAN[12:]}"),
        Text(50, 484, f"met gestructureerde mededeling {COMMUNICATION}"),
    ]]


def french_invoice() -> list[list[Text]]:
    """A French-language invoice with the supplier's numbers in the footer and a header
    row of fields above their values."""
    return [[
        Text(50, 60, "Menuiserie Dubois SRL", 14, bold=True),
        Text(50, 76, "Rue de la Station 8, 5000 Namur"),
        Text(380, 70, "Facture", 20, bold=True),
        Text(330, 130, "Facturé à :"),
        Text(330, 144, "Garage De Smet SA"),
        Text(330, 158, "Chaussée de Louvain 200"),
        Text(330, 172, "1030 Schaerbeek"),
        Text(330, 186, "TVA BE 0417.497.106"),
        Text(50, 230, "N° de facture"), Text(200, 230, "Date"), Text(320, 230, "Échéance"),
        Text(50, 244, "F-2026/118"), Text(200, 244, "3 novembre 2026"),
        Text(320, 244, "03/12/2026"),
        Text(50, 300, "Description"), Text(470, 300, "Montant"),
        Text(50, 316, "Porte intérieure chêne, pose comprise"), Text(470, 316, "2 300,00"),
        Text(330, 380, "Total HTVA"), Text(470, 380, "2 300,00 €"),
        Text(330, 394, "TVA 6 %"), Text(470, 394, "138,00 €"),
        Text(330, 408, "Total TVAC"), Text(470, 408, "2 438,00 €"),
        Text(50, 780, "Menuiserie Dubois SRL · TVA BE 0403.170.701 · "
                      "IBAN BE71 0961 2345 6769", 8),
    ]]


def german_credit_note() -> list[list[Text]]:
    return [[
        Text(50, 60, "Schreinerei Becker GmbH", 14, bold=True),
        Text(50, 76, "Hauptstraße 3, 4700 Eupen"),
        Text(50, 90, "USt-IdNr. BE 0403.170.701"),
        Text(380, 60, "GUTSCHRIFT", 18, bold=True),
        Text(330, 130, "Rechnungsempfänger:"),
        Text(330, 144, "Elektro Maes BV"),
        Text(330, 158, "USt-IdNr. BE0417497106"),
        Text(50, 220, "Gutschriftsnummer: GS-2026-07"),
        Text(50, 234, "Datum: 2. Dezember 2026"),
        Text(50, 248, "zu Rechnung 2026-0311"),
        Text(330, 320, "Nettobetrag"), Text(470, 320, "100,00"),
        Text(330, 334, "MwSt. 21 %"), Text(470, 334, "21,00"),
        Text(330, 348, "Gesamtbetrag"), Text(470, 348, "121,00 EUR"),
    ]]


def english_invoice() -> list[list[Text]]:
    return [[
        Text(50, 60, "Northwind Ltd", 14, bold=True),
        Text(50, 76, "VAT NL004495445B01"),
        Text(400, 60, "INVOICE", 18, bold=True),
        Text(330, 120, "Bill to:"),
        Text(330, 134, "Studio Lumen BV"),
        Text(330, 148, "VAT BE 0417 497 106"),
        Text(50, 200, "Invoice number: INV-88121"),
        Text(50, 214, "Invoice date: December 31, 2026"),
        Text(50, 228, "Due date: January 30, 2027"),
        Text(330, 300, "Subtotal"), Text(470, 300, "€1,200.00"),
        Text(330, 314, "VAT 21%"), Text(470, 314, "€252.00"),
        Text(330, 328, "Total due"), Text(470, 328, "€1,452.00"),
    ]]


def receipt() -> list[list[Text]]:
    return [[
        Text(200, 50, "Bakkerij Het Gulden Brood", 11, bold=True),
        Text(200, 64, "Markt 1, 3000 Leuven"),
        Text(200, 78, "BTW BE0403.170.701"),
        Text(200, 100, "KASTICKET", 12, bold=True),
        Text(200, 116, "Datum: 28-11-2026 08:14"),
        Text(200, 140, "2 x Croissant"), Text(330, 140, "3,00"),
        Text(200, 154, "1 x Volkorenbrood"), Text(330, 154, "3,80"),
        Text(200, 176, "TOTAAL"), Text(330, 176, "6,80"),
        Text(200, 190, "Btw 6%"), Text(330, 190, "0,38"),
        Text(200, 204, "Bancontact"), Text(330, 204, "6,80"),
    ]]


def facturx_pdf(xml: bytes, *, with_text: Sequence[Text] = ()) -> bytes:
    """A PDF with a Factur-X XML attached the way the factur-x library does it."""
    from facturx import generate_from_binary

    base = text_pdf([list(with_text) or [Text(50, 60, "Factuur (zie bijgevoegde XML)")]])
    return bytes(generate_from_binary(base, xml, check_xsd=False))


def cii_xml(*, type_code: str = "380", seller_vat: str = SUPPLIER_VAT,
            buyer_vat: str = CUSTOMER_VAT) -> bytes:
    """A minimal EN 16931 Cross Industry Invoice (Factur-X profile EN16931)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext>
  <ram:GuidelineSpecifiedDocumentContextParameter>
   <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument>
  <ram:ID>FX-2026-001</ram:ID>
  <ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime>
   <udt:DateTimeString format="102">20261105</udt:DateTimeString>
  </ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty>
    <ram:Name>Fournitures Lambert SA</ram:Name>
    <ram:SpecifiedTaxRegistration>
     <ram:ID schemeID="VA">{seller_vat}</ram:ID>
    </ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty>
    <ram:Name>Café De Hoek BV</ram:Name>
    <ram:SpecifiedTaxRegistration>
     <ram:ID schemeID="VA">{buyer_vat}</ram:ID>
    </ram:SpecifiedTaxRegistration>
   </ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:PaymentReference>+++123/4567/89002+++</ram:PaymentReference>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans>
    <ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{IBAN}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax>
    <ram:CalculatedAmount>42.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>200.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>21</ram:RateApplicablePercent>
   </ram:ApplicableTradeTax>
   <ram:SpecifiedTradePaymentTerms>
    <ram:DueDateDateTime>
     <udt:DateTimeString format="102">20261205</udt:DateTimeString>
    </ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>200.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>200.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">42.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>242.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>242.00</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def belgian_ubl(name: str = "base-example.xml") -> bytes:
    """An official Peppol example with Belgian parties: supplier BE0403170701 (endpoint
    0208), customer BE0417497106, a Belgian IBAN and structured communication."""
    text = (PEPPOL_EXAMPLES / name).read_text(encoding="utf-8")
    for old, new in (
        ('<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
         '<cbc:EndpointID schemeID="0208">0403170701</cbc:EndpointID>'),
        ("<cbc:CompanyID>GB1232434</cbc:CompanyID>",
         f"<cbc:CompanyID>{SUPPLIER_VAT}</cbc:CompanyID>"),
        ("<cbc:CompanyID>SE4598375937</cbc:CompanyID>",
         f"<cbc:CompanyID>{CUSTOMER_VAT}</cbc:CompanyID>"),
        ("<cbc:PaymentID>Snippet1</cbc:PaymentID>",
         "<cbc:PaymentID>+++123/4567/89002+++</cbc:PaymentID>"),
        ("<cbc:ID>IBAN32423940</cbc:ID>", f"<cbc:ID>{IBAN}</cbc:ID>"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def in_sbd(ubl: bytes) -> bytes:
    """``ubl`` inside a Peppol Standard Business Document header, as access points send it."""
    body = ubl.decode("utf-8").split("?>", 1)[1]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">
 <StandardBusinessDocumentHeader>
  <HeaderVersion>1.0</HeaderVersion>
  <Sender><Identifier Authority="iso6523-actorid-upis">0208:0403170701</Identifier></Sender>
  <Receiver><Identifier Authority="iso6523-actorid-upis">0208:0417497106</Identifier></Receiver>
 </StandardBusinessDocumentHeader>
{body}
</StandardBusinessDocument>""".encode()
