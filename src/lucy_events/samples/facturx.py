"""Factur-X (ZUGFeRD 2) invoices: the CII XML of the EN16931 profile, written here,
embedded by the ``factur-x`` library into the text PDF, which it makes a PDF/A-3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from facturx import generate_from_binary
from lxml import etree

from lucy_events.samples.model import Invoice, Party

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
LEGAL_SCHEMES = {"BE": "0208", "NL": "0106", "FR": "0002"}


def _el(parent: etree._Element, ns: str, tag: str, text: str | None = None,
        **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)
    element.text = text
    return element


def _ram(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    return _el(parent, RAM, tag, text, **attributes)


def _date(parent: etree._Element, tag: str, value: date) -> None:
    _el(_ram(parent, tag), UDT, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _party(parent: etree._Element, tag: str, party: Party) -> None:
    element = _ram(parent, tag)
    _ram(element, "Name", party.name)
    scheme = LEGAL_SCHEMES.get(party.country)
    if scheme and party.enterprise_number:
        _ram(_ram(element, "SpecifiedLegalOrganization"), "ID", party.enterprise_number,
             schemeID=scheme)
    address = _ram(element, "PostalTradeAddress")
    _ram(address, "PostcodeCode", party.address.postal_code)
    _ram(address, "LineOne", party.address.street)
    _ram(address, "CityName", party.address.city)
    _ram(address, "CountryID", party.country)
    if party.email:
        _ram(_ram(element, "URIUniversalCommunication"), "URIID", party.email, schemeID="EM")
    if party.vat:
        _ram(_ram(element, "SpecifiedTaxRegistration"), "ID", party.vat, schemeID="VA")


def cii_xml(invoice: Invoice) -> bytes:
    """The invoice as UN/CEFACT Cross Industry Invoice, Factur-X profile EN 16931."""
    if invoice.kind not in ("invoice", "credit-note"):
        raise ValueError(f"a {invoice.kind} has no Factur-X form")
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice",
                         nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT})
    context = _el(root, RSM, "ExchangedDocumentContext")
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID",
         "urn:cen.eu:en16931:2017")
    header = _el(root, RSM, "ExchangedDocument")
    _ram(header, "ID", invoice.number)
    _ram(header, "TypeCode", "381" if invoice.kind == "credit-note" else "380")
    _date(header, "IssueDateTime", invoice.issue_date)
    trade = _el(root, RSM, "SupplyChainTradeTransaction")
    for number, line in enumerate(invoice.lines, start=1):
        item = _ram(trade, "IncludedSupplyChainTradeLineItem")
        _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", str(number))
        _ram(_ram(item, "SpecifiedTradeProduct"), "Name", line.description)
        _ram(_ram(_ram(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice"),
             "ChargeAmount", _amount(line.unit_price))
        _ram(_ram(item, "SpecifiedLineTradeDelivery"), "BilledQuantity",
             f"{line.quantity.normalize():f}", unitCode="C62")
        settlement = _ram(item, "SpecifiedLineTradeSettlement")
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "TypeCode", "VAT")
        _ram(tax, "CategoryCode", "S")
        _ram(tax, "RateApplicablePercent", f"{line.vat_rate.normalize():f}")
        _ram(_ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation"),
             "LineTotalAmount", _amount(line.amount))
    agreement = _ram(trade, "ApplicableHeaderTradeAgreement")
    _ram(agreement, "BuyerReference", invoice.number)
    _party(agreement, "SellerTradeParty", invoice.supplier)
    _party(agreement, "BuyerTradeParty", invoice.customer)
    _ram(trade, "ApplicableHeaderTradeDelivery")
    _settlement(_ram(trade, "ApplicableHeaderTradeSettlement"), invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _settlement(settlement: etree._Element, invoice: Invoice) -> None:
    if invoice.structured_communication:
        _ram(settlement, "PaymentReference", invoice.structured_communication)
    _ram(settlement, "InvoiceCurrencyCode", invoice.currency)
    if invoice.supplier.iban:
        means = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
        _ram(means, "TypeCode", "30")
        _ram(_ram(means, "PayeePartyCreditorFinancialAccount"), "IBANID",
             invoice.supplier.iban)
    for vat in invoice.vat_breakdown:
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", _amount(vat.vat or Decimal(0)))
        _ram(tax, "TypeCode", "VAT")
        _ram(tax, "BasisAmount", _amount(vat.taxable or Decimal(0)))
        _ram(tax, "CategoryCode", "S")
        _ram(tax, "RateApplicablePercent", f"{vat.rate.normalize():f}")
    terms = _ram(settlement, "SpecifiedTradePaymentTerms")
    if invoice.due_date:
        _date(terms, "DueDateDateTime", invoice.due_date)
    else:  # BR-CO-25: an amount due needs a due date or payment terms
        _ram(terms, "Description", "Settled against the credited invoice")
    totals = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(totals, "LineTotalAmount", _amount(invoice.total_excl_vat))
    _ram(totals, "TaxBasisTotalAmount", _amount(invoice.total_excl_vat))
    _ram(totals, "TaxTotalAmount", _amount(invoice.total_vat), currencyID=invoice.currency)
    _ram(totals, "GrandTotalAmount", _amount(invoice.total_incl_vat))
    _ram(totals, "DuePayableAmount", _amount(invoice.total_incl_vat))


def render_facturx(invoice: Invoice, pdf: bytes) -> bytes:
    """``pdf`` (the invoice's text PDF) as a Factur-X PDF/A-3 with its CII XML inside."""
    return bytes(generate_from_binary(pdf, cii_xml(invoice), flavor="factur-x",
                                      level="en16931", check_xsd=True))
