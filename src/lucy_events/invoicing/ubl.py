"""The UBL 2.1 of an issued invoice or credit note in Peppol BIS Billing 3.0: the
elements in the schema's order, endpoint ids with their ICD scheme (0208 for a Belgian
enterprise number, else the VAT number under its country's scheme), the VAT breakdown
and totals of ``invoice_rules.totals``, and the PDF embedded as an
AdditionalDocumentReference."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_totals import line_net

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ROOTS = {"invoice": ("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
         "credit-note": ("CreditNote",
                         "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")}
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
LEGAL_SCHEMES = {"BE": "0208", "NL": "0106"}
VAT_SCHEMES = {"BE": "9925", "NL": "9944", "FR": "9957", "DE": "9930", "LU": "9938"}


@dataclass(frozen=True)
class Issue:
    """What issuing adds to a draft: the number, dates, seller and payment details."""

    number: str
    issue_date: date
    structured_communication: str
    seller: Mapping[str, str]
    iban: str
    bic: str | None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class _Writer:
    def __init__(self, currency: str) -> None:
        self.currency = currency

    def cbc(self, parent: etree._Element, tag: str, text: str | None = None,
            **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}", attributes)
        element.text = text
        return element

    def cac(self, parent: etree._Element, tag: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{tag}")

    def money(self, parent: etree._Element, tag: str, value: Decimal) -> None:
        self.cbc(parent, tag, _money(value), currencyID=self.currency)

    def category(self, parent: etree._Element, tag: str, category: str, rate: str,
                 reason: str = "") -> None:
        element = self.cac(parent, tag)
        self.cbc(element, "ID", category)
        if category != "O":
            self.cbc(element, "Percent", rate or "0")
        if reason:
            self.cbc(element, "TaxExemptionReason", reason)
        self.cbc(self.cac(element, "TaxScheme"), "ID", "VAT")

    def party(self, parent: etree._Element, role: str, party: Mapping[str, str],
              with_vat: bool) -> None:
        element = self.cac(self.cac(parent, role), "Party")
        country = party.get("country", "BE")
        vat = party.get("vat", "")
        number = party.get("enterprise_number", "")
        if country in LEGAL_SCHEMES and number:
            self.cbc(element, "EndpointID", number, schemeID=LEGAL_SCHEMES[country])
        elif vat and country in VAT_SCHEMES:
            self.cbc(element, "EndpointID", vat, schemeID=VAT_SCHEMES[country])
        elif party.get("email"):
            self.cbc(element, "EndpointID", party["email"], schemeID="EM")
        self.cbc(self.cac(element, "PartyName"), "Name", party["name"])
        address = self.cac(element, "PostalAddress")
        self.cbc(address, "StreetName", party["street"])
        self.cbc(address, "CityName", party["city"])
        self.cbc(address, "PostalZone", party["postal_code"])
        self.cbc(self.cac(address, "Country"), "IdentificationCode", country)
        if vat and with_vat:
            scheme = self.cac(element, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", vat)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        legal = self.cac(element, "PartyLegalEntity")
        self.cbc(legal, "RegistrationName", party["name"])
        if country in LEGAL_SCHEMES and number:
            self.cbc(legal, "CompanyID", number, schemeID=LEGAL_SCHEMES[country])
        if party.get("email"):
            self.cbc(self.cac(element, "Contact"), "ElectronicMail", party["email"])


def render_ubl(invoice: Invoice, issue: Issue, pdf: bytes | None) -> bytes:
    """The invoice as BIS 3 UBL; ``pdf`` is embedded when given."""
    credit = invoice.kind == "credit-note"
    name, namespace = ROOTS[invoice.kind]
    w = _Writer(invoice.currency)
    root = etree.Element(f"{{{namespace}}}{name}",
                         nsmap={None: namespace, "cac": CAC, "cbc": CBC})
    w.cbc(root, "CustomizationID", CUSTOMIZATION)
    w.cbc(root, "ProfileID", PROFILE)
    w.cbc(root, "ID", issue.number)
    w.cbc(root, "IssueDate", issue.issue_date.isoformat())
    if invoice.due_date and not credit:
        w.cbc(root, "DueDate", invoice.due_date.isoformat())
    w.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if invoice.note:
        w.cbc(root, "Note", invoice.note)
    w.cbc(root, "DocumentCurrencyCode", invoice.currency)
    w.cbc(root, "BuyerReference", invoice.customer.get("reference") or issue.number)
    if invoice.credited_number:
        reference = w.cac(w.cac(root, "BillingReference"), "InvoiceDocumentReference")
        w.cbc(reference, "ID", invoice.credited_number)
    if pdf is not None:
        reference = w.cac(root, "AdditionalDocumentReference")
        w.cbc(reference, "ID", issue.number)
        w.cbc(reference, "DocumentDescription", "Invoice PDF")
        w.cbc(w.cac(reference, "Attachment"), "EmbeddedDocumentBinaryObject",
              base64.b64encode(pdf).decode(), mimeCode="application/pdf",
              filename=f"{issue.number}.pdf")
    categories = {line["vat_category"] for line in invoice.lines} | {
        a["vat_category"] for a in invoice.adjustments}
    with_vat = "O" not in categories  # BR-O-02: no VAT ids on an invoice "not subject"
    w.party(root, "AccountingSupplierParty", issue.seller, with_vat)
    w.party(root, "AccountingCustomerParty", invoice.customer, with_vat)
    if categories & {"K", "G"}:  # BR-IC-11/12: where and when goods went
        delivery = w.cac(root, "Delivery")
        w.cbc(delivery, "ActualDeliveryDate", issue.issue_date.isoformat())
        location = w.cac(w.cac(delivery, "DeliveryLocation"), "Address")
        w.cbc(w.cac(location, "Country"), "IdentificationCode", invoice.customer["country"])
    _payment(w, root, invoice, issue)
    _adjustments_and_totals(w, root, invoice)
    _lines(w, root, invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _payment(w: _Writer, root: etree._Element, invoice: Invoice, issue: Issue) -> None:
    means = w.cac(root, "PaymentMeans")
    w.cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
    w.cbc(means, "PaymentID", issue.structured_communication)
    account = w.cac(means, "PayeeFinancialAccount")
    w.cbc(account, "ID", issue.iban)
    w.cbc(account, "Name", issue.seller["name"])
    if issue.bic:
        w.cbc(w.cac(account, "FinancialInstitutionBranch"), "ID", issue.bic)
    if invoice.due_date and invoice.kind == "invoice":
        days = (invoice.due_date - issue.issue_date).days
        w.cbc(w.cac(root, "PaymentTerms"), "Note", f"Payment within {days} days")


def _adjustments_and_totals(w: _Writer, root: etree._Element, invoice: Invoice) -> None:
    for adjustment in invoice.adjustments:
        element = w.cac(root, "AllowanceCharge")
        w.cbc(element, "ChargeIndicator", adjustment["charge"])
        w.cbc(element, "AllowanceChargeReason", adjustment["reason"])
        w.money(element, "Amount", Decimal(adjustment["amount"]))
        w.category(element, "TaxCategory", adjustment["vat_category"], adjustment["vat_rate"])
    totals = invoice.totals
    tax_total = w.cac(root, "TaxTotal")
    w.money(tax_total, "TaxAmount", totals.vat)
    for subtotal in totals.breakdown:
        element = w.cac(tax_total, "TaxSubtotal")
        w.money(element, "TaxableAmount", subtotal.taxable)
        w.money(element, "TaxAmount", subtotal.vat)
        w.category(element, "TaxCategory", subtotal.category, subtotal.rate,
                   subtotal.exemption_reason)
    monetary = w.cac(root, "LegalMonetaryTotal")
    w.money(monetary, "LineExtensionAmount", totals.lines)
    w.money(monetary, "TaxExclusiveAmount", totals.excl_vat)
    w.money(monetary, "TaxInclusiveAmount", totals.incl_vat)
    if invoice.adjustments:
        w.money(monetary, "AllowanceTotalAmount", totals.allowances)
        w.money(monetary, "ChargeTotalAmount", totals.charges)
    w.money(monetary, "PayableAmount", totals.payable)


def _lines(w: _Writer, root: etree._Element, invoice: Invoice) -> None:
    credit = invoice.kind == "credit-note"
    for number, line in enumerate(invoice.lines, start=1):
        element = w.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        w.cbc(element, "ID", str(number))
        w.cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", line["quantity"],
              unitCode=line["unit"])
        w.money(element, "LineExtensionAmount", line_net(line))
        item = w.cac(element, "Item")
        w.cbc(item, "Name", line["description"][:200])
        w.category(item, "ClassifiedTaxCategory", line["vat_category"], line["vat_rate"])
        w.cbc(w.cac(element, "Price"), "PriceAmount", line["unit_price"],
              currencyID=invoice.currency)
