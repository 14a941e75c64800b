"""Fields from a UBL 2.1 Invoice or CreditNote (bare or inside a Peppol SBD header).

The XML says what each field is, so the only doubt left is which side the client is on.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from lucy_events.peppol.xml import UBL_CREDIT_NOTE_NS, parse_untrusted, ubl_document
from lucy_events.recognition.fields import Recognition, VatLine
from lucy_events.recognition.identifiers import (
    canonical_structured_communication,
    compact_vat,
    enterprise_number_of,
    party_keys,
    valid_iban,
)
from lucy_events.recognition.parties import sided_type

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
#: ICD schemes of company registers: Belgian enterprise number, Dutch KvK, French SIREN.
REGISTER_SCHEMES = ("0208", "0106", "0002")
#: Invoice type codes that are in fact credit notes (UNTDID 1001).
_CREDIT_CODES = {"381", "396", "532"}
#: Confidence of a UBL reading whose side is known / had to be assumed (an assumed side
#: stays below the Document's CONFIDENT threshold, so a person confirms the type).
SURE, UNSIDED = 0.99, 0.75


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, NS)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _amount(node: etree._Element, path: str) -> Decimal | None:
    value = _text(node, path)
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _date(node: etree._Element, path: str) -> date | None:
    value = _text(node, path)
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _party(root: etree._Element, role: str) -> tuple[str | None, str | None, set[str]]:
    """Name, VAT number and every identifier of the supplier or customer party."""
    party = root.find(f"cac:{role}/cac:Party", NS)
    if party is None:
        return None, None, set()
    # the trading name is the one people know the party by; the legal name is mandatory
    name = _text(party, "cac:PartyName/cbc:Name") or _text(
        party, "cac:PartyLegalEntity/cbc:RegistrationName"
    )
    vat = None
    for scheme in party.findall("cac:PartyTaxScheme", NS):
        if _text(scheme, "cac:TaxScheme/cbc:ID") in (None, "VAT"):
            vat = vat or _text(scheme, "cbc:CompanyID")
    ids: set[str] = set()
    for path in ("cbc:EndpointID", "cac:PartyLegalEntity/cbc:CompanyID",
                 "cac:PartyIdentification/cbc:ID"):
        for element in party.findall(path, NS):
            if element.text and element.text.strip():
                ids.add(element.text.strip())
                if element.get("schemeID") in REGISTER_SCHEMES:
                    ids.add(f"{element.get('schemeID')}:{element.text.strip()}")
    return name, compact_vat(vat) if vat else None, ids


def registered_number(vat: str | None, ids: set[str]) -> str | None:
    """The company register's number: a legal id or electronic address in a register's
    ICD scheme, or the Belgian enterprise number inside the VAT number."""
    for scheme in REGISTER_SCHEMES:
        found = sorted(i.split(":", 1)[1] for i in ids if i.startswith(scheme + ":"))
        if found:
            return compact_vat(found[0])
    return enterprise_number_of(vat)


def _breakdown(document: etree._Element) -> tuple[VatLine, ...]:
    lines = []
    for sub in document.findall("cac:TaxTotal/cac:TaxSubtotal", NS):
        rate = _amount(sub, "cac:TaxCategory/cbc:Percent")
        lines.append(VatLine(rate if rate is not None else Decimal(0),
                             _amount(sub, "cbc:TaxableAmount"), _amount(sub, "cbc:TaxAmount")))
    return tuple(lines)


def _iban(document: etree._Element) -> str | None:
    """The payee's account when it is a valid IBAN (a placeholder or a national account
    number is no IBAN to pay to)."""
    for means in document.findall("cac:PaymentMeans", NS):
        account = _text(means, "cac:PayeeFinancialAccount/cbc:ID")
        if account and valid_iban(account):
            return valid_iban(account)
    return None


def _communication(document: etree._Element) -> str | None:
    for means in document.findall("cac:PaymentMeans", NS):
        payment_id = _text(means, "cbc:PaymentID")
        if payment_id:
            return canonical_structured_communication(payment_id)
    return None


def read_ubl(content: bytes, own_numbers: frozenset[str] = frozenset()) -> Recognition:
    """Every field of a UBL Invoice or CreditNote; raises ``UnsafeOrMalformedXml`` when
    ``content`` is not one."""
    document = ubl_document(parse_untrusted(content))
    credit = document.tag == f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote" or _text(
        document, "cbc:InvoiceTypeCode"
    ) in _CREDIT_CODES
    supplier_name, supplier_vat, supplier_ids = _party(document, "AccountingSupplierParty")
    customer_name, customer_vat, customer_ids = _party(document, "AccountingCustomerParty")
    own = party_keys(own_numbers)
    client_is = None
    if own & party_keys([supplier_vat, *supplier_ids]):
        client_is = "supplier"
    elif own & party_keys([customer_vat, *customer_ids]):
        client_is = "customer"
    totals = "cac:LegalMonetaryTotal/"
    tax_total = next(
        (_amount(t, "cbc:TaxAmount") for t in document.findall("cac:TaxTotal", NS)
         if t.find("cac:TaxSubtotal", NS) is not None),
        _amount(document, "cac:TaxTotal/cbc:TaxAmount"),
    )
    due = _date(document, "cbc:DueDate") or _date(document, "cac:PaymentMeans/cbc:PaymentDueDate")
    return Recognition(
        method="ubl", confidence=SURE if client_is else UNSIDED,
        document_type=sided_type("credit-note" if credit else "invoice", client_is),
        supplier_name=supplier_name, supplier_vat=supplier_vat,
        supplier_enterprise_number=registered_number(supplier_vat, supplier_ids),
        customer_name=customer_name, customer_vat=customer_vat,
        invoice_number=_text(document, "cbc:ID"), issue_date=_date(document, "cbc:IssueDate"),
        due_date=due, currency=_text(document, "cbc:DocumentCurrencyCode"),
        total_excl_vat=_amount(document, totals + "cbc:TaxExclusiveAmount"),
        total_vat=tax_total,
        total_incl_vat=_amount(document, totals + "cbc:TaxInclusiveAmount"),
        vat_breakdown=_breakdown(document), iban=_iban(document),
        structured_communication=_communication(document),
        reason=None if client_is else "the client's numbers were not found: taken as a purchase",
    )
