"""Fields from the Factur-X / ZUGFeRD XML (UN/CEFACT Cross Industry Invoice) a PDF embeds.

The ``factur-x`` library finds the attachment; the XML itself is parsed again with the
project's safe parser (no entities, no DTD) before anything is read from it. A PDF may
also embed a UBL invoice (XRechnung does): that is read as UBL.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from lucy_events.peppol.xml import UBL_ROOTS, parse_untrusted
from lucy_events.recognition.fields import Recognition, VatLine
from lucy_events.recognition.identifiers import (
    canonical_structured_communication,
    compact_vat,
    party_keys,
    valid_iban,
)
from lucy_events.recognition.parties import sided_type
from lucy_events.recognition.ubl import (
    REGISTER_SCHEMES,
    SURE,
    UNSIDED,
    read_ubl,
    registered_number,
)

CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
_CREDIT_CODES = {"381", "396", "261", "262"}
_TRADE = "rsm:SupplyChainTradeTransaction/"
_AGREEMENT = _TRADE + "ram:ApplicableHeaderTradeAgreement/"
_SETTLEMENT = _TRADE + "ram:ApplicableHeaderTradeSettlement/"
_SUM = _SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"


def embedded_xml(content: bytes) -> bytes | None:
    """The Factur-X / ZUGFeRD / XRechnung XML attached to a PDF, or None."""
    from facturx import get_xml_from_pdf

    # the library logs every PDF without an attachment as an error; that is our normal case
    logging.getLogger("factur-x").setLevel(logging.CRITICAL)
    try:
        _, xml = get_xml_from_pdf(content, check_xsd=False)
    except Exception:  # any PDF the library cannot open simply has no readable XML
        return None
    return xml or None


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _amount(node: etree._Element, path: str) -> Decimal | None:
    value = _text(node, path)
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _date(node: etree._Element, path: str) -> date | None:
    value = _text(node, path + "/udt:DateTimeString")
    if not value or len(value) < 8:
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _party(root: etree._Element, role: str) -> tuple[str | None, str | None, set[str]]:
    party = root.find(_AGREEMENT + f"ram:{role}", NS)
    if party is None:
        return None, None, set()
    vat = None
    ids: set[str] = set()
    for registration in party.findall("ram:SpecifiedTaxRegistration/ram:ID", NS):
        if registration.get("schemeID") == "VA" and registration.text:
            vat = compact_vat(registration.text)
    for path in ("ram:SpecifiedLegalOrganization/ram:ID", "ram:URIUniversalCommunication/ram:URIID",
                 "ram:ID", "ram:GlobalID"):
        for element in party.findall(path, NS):
            if element.text and element.text.strip():
                ids.add(element.text.strip())
                if element.get("schemeID") in REGISTER_SCHEMES:
                    ids.add(f"{element.get('schemeID')}:{element.text.strip()}")
    return _text(party, "ram:Name"), vat, ids


def read_cii(xml: bytes, own_numbers: frozenset[str] = frozenset()) -> Recognition | None:
    """Every field of an embedded invoice XML, or None when it is neither CII nor UBL."""
    root = parse_untrusted(xml, "embedded XML")
    if root.tag in UBL_ROOTS:
        return _as_factur_x(read_ubl(xml, own_numbers))
    if root.tag != CII_ROOT:
        return None
    supplier_name, supplier_vat, supplier_ids = _party(root, "SellerTradeParty")
    customer_name, customer_vat, customer_ids = _party(root, "BuyerTradeParty")
    own = party_keys(own_numbers)
    client_is = None
    if own & party_keys([supplier_vat, *supplier_ids]):
        client_is = "supplier"
    elif own & party_keys([customer_vat, *customer_ids]):
        client_is = "customer"
    type_code = _text(root, "rsm:ExchangedDocument/ram:TypeCode")
    kind = "credit-note" if type_code in _CREDIT_CODES else "invoice"
    breakdown = tuple(
        VatLine(_amount(tax, "ram:RateApplicablePercent") or Decimal(0),
                _amount(tax, "ram:BasisAmount"), _amount(tax, "ram:CalculatedAmount"))
        for tax in root.findall(_SETTLEMENT + "ram:ApplicableTradeTax", NS)
    )
    iban = _text(root, _SETTLEMENT + "ram:SpecifiedTradeSettlementPaymentMeans/"
                 "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
    reference = _text(root, _SETTLEMENT + "ram:PaymentReference")
    return Recognition(
        method="factur-x", confidence=SURE if client_is else UNSIDED,
        document_type=sided_type(kind, client_is),
        supplier_name=supplier_name, supplier_vat=supplier_vat,
        supplier_enterprise_number=registered_number(supplier_vat, supplier_ids),
        customer_name=customer_name, customer_vat=customer_vat,
        invoice_number=_text(root, "rsm:ExchangedDocument/ram:ID"),
        issue_date=_date(root, "rsm:ExchangedDocument/ram:IssueDateTime"),
        due_date=_date(root, _SETTLEMENT + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"),
        currency=_text(root, _SETTLEMENT + "ram:InvoiceCurrencyCode"),
        total_excl_vat=_amount(root, _SUM + "ram:TaxBasisTotalAmount"),
        total_vat=_amount(root, _SUM + "ram:TaxTotalAmount"),
        total_incl_vat=_amount(root, _SUM + "ram:GrandTotalAmount"),
        vat_breakdown=breakdown, iban=valid_iban(iban) if iban else None,
        structured_communication=(
            canonical_structured_communication(reference) if reference else None
        ),
        reason=None if client_is else "the client's numbers were not found: taken as a purchase",
    )


def _as_factur_x(reading: Recognition) -> Recognition:
    from dataclasses import replace

    return replace(reading, method="factur-x")
