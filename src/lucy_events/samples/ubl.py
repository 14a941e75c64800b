"""Peppol BIS Billing 3.0 UBL invoices and credit notes, shaped on OpenPeppol's own
examples (base-example.xml, base-creditnote-correction.xml): the elements in the UBL
2.1 schema's order, electronic addresses and legal ids with their ICD schemes, the VAT
breakdown per rate and totals that satisfy the EN16931 calculation rules; optionally
with the PDF rendition embedded (AdditionalDocumentReference)."""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from lucy_events.samples.model import Invoice, Party

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
ROOT_NS = {"invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
           "credit-note": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}
CUSTOMIZATION = ("urn:cen.eu:en16931:2017#compliant#"
                 "urn:fdc:peppol.eu:2017:poacc:billing:3.0")
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#: ICD scheme of each country's company number (the Peppol participant id scheme).
LEGAL_SCHEMES = {"BE": "0208", "NL": "0106", "FR": "0002"}
#: Without a company number scheme, the VAT number is the electronic address.
VAT_SCHEMES = {"BE": "9925", "NL": "9944", "FR": "9957", "DE": "9930"}

CONTACT_NAMES = {"BE": "Boekhouding", "NL": "Administratie", "FR": "Comptabilité",
                 "DE": "Buchhaltung"}


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


class _Builder:
    def __init__(self, invoice: Invoice) -> None:
        self.invoice = invoice
        self.currency = invoice.currency

    def cbc(self, parent: etree._Element, tag: str, text: str | None = None,
            **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}", attributes)
        element.text = text
        return element

    def cac(self, parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def money(self, parent: etree._Element, name: str, value: Decimal) -> None:
        self.cbc(parent, name, _amount(value), currencyID=self.currency)

    def tax_category(self, parent: etree._Element, name: str, rate: Decimal) -> None:
        category = self.cac(parent, name)
        self.cbc(category, "ID", "S")
        self.cbc(category, "Percent", _percent(rate))
        self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")

    def party(self, parent: etree._Element, role: str, party: Party) -> None:
        element = self.cac(self.cac(parent, role), "Party")
        legal_scheme = LEGAL_SCHEMES.get(party.country)
        if legal_scheme and party.enterprise_number:
            self.cbc(element, "EndpointID", party.enterprise_number, schemeID=legal_scheme)
        else:
            self.cbc(element, "EndpointID", party.vat or "", schemeID=VAT_SCHEMES[party.country])
        self.cbc(self.cac(element, "PartyName"), "Name", party.name)
        address = self.cac(element, "PostalAddress")
        self.cbc(address, "StreetName", party.address.street)
        self.cbc(address, "CityName", party.address.city)
        self.cbc(address, "PostalZone", party.address.postal_code)
        self.cbc(self.cac(address, "Country"), "IdentificationCode", party.country)
        if party.vat:
            scheme = self.cac(element, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", party.vat)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        legal = self.cac(element, "PartyLegalEntity")
        self.cbc(legal, "RegistrationName", party.name)
        if legal_scheme and party.enterprise_number:
            self.cbc(legal, "CompanyID", party.enterprise_number, schemeID=legal_scheme)
        # German rules (DE-R-005..007) want the seller's contact point, phone and e-mail.
        contact = self.cac(element, "Contact")
        self.cbc(contact, "Name", CONTACT_NAMES.get(party.country, "Accounts"))
        if party.phone:
            self.cbc(contact, "Telephone", party.phone)
        if party.email:
            self.cbc(contact, "ElectronicMail", party.email)


def render_ubl(invoice: Invoice, pdf: bytes | None = None) -> bytes:
    """The invoice or credit note as Peppol BIS 3 UBL; ``pdf`` is embedded when given."""
    if invoice.kind not in ROOT_NS:
        raise ValueError(f"a {invoice.kind} has no UBL form; only invoices and credit notes")
    credit = invoice.kind == "credit-note"
    b = _Builder(invoice)
    root = etree.Element("CreditNote" if credit else "Invoice",
                         nsmap={None: ROOT_NS[invoice.kind], "cac": CAC, "cbc": CBC})
    b.cbc(root, "CustomizationID", CUSTOMIZATION)
    b.cbc(root, "ProfileID", PROFILE)
    b.cbc(root, "ID", invoice.number)
    b.cbc(root, "IssueDate", invoice.issue_date.isoformat())
    if invoice.due_date and not credit:
        b.cbc(root, "DueDate", invoice.due_date.isoformat())
    b.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    b.cbc(root, "DocumentCurrencyCode", invoice.currency)
    b.cbc(root, "BuyerReference", invoice.number)
    if invoice.credited_invoice:
        b.cbc(b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference"), "ID",
              invoice.credited_invoice)
    if pdf is not None:
        reference = b.cac(root, "AdditionalDocumentReference")
        b.cbc(reference, "ID", invoice.number)
        attachment = b.cac(reference, "Attachment")
        b.cbc(attachment, "EmbeddedDocumentBinaryObject", base64.b64encode(pdf).decode(),
              mimeCode="application/pdf", filename=f"{invoice.number.replace('/', '-')}.pdf")
    b.party(root, "AccountingSupplierParty", invoice.supplier)
    b.party(root, "AccountingCustomerParty", invoice.customer)
    _payment(b, root, invoice)
    _totals(b, root, invoice)
    _lines(b, root, invoice)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _payment(b: _Builder, root: etree._Element, invoice: Invoice) -> None:
    supplier = invoice.supplier
    if supplier.iban:
        means = b.cac(root, "PaymentMeans")
        b.cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
        if invoice.structured_communication:
            b.cbc(means, "PaymentID", invoice.structured_communication)
        account = b.cac(means, "PayeeFinancialAccount")
        b.cbc(account, "ID", supplier.iban)
        b.cbc(account, "Name", supplier.name)
        if supplier.bic:
            b.cbc(b.cac(account, "FinancialInstitutionBranch"), "ID", supplier.bic)
    if invoice.kind == "invoice" and invoice.due_date:
        days = (invoice.due_date - invoice.issue_date).days
        b.cbc(b.cac(root, "PaymentTerms"), "Note", f"Payment within {days} days")


def _totals(b: _Builder, root: etree._Element, invoice: Invoice) -> None:
    tax_total = b.cac(root, "TaxTotal")
    b.money(tax_total, "TaxAmount", invoice.total_vat)
    for vat in invoice.vat_breakdown:
        subtotal = b.cac(tax_total, "TaxSubtotal")
        b.money(subtotal, "TaxableAmount", vat.taxable or Decimal(0))
        b.money(subtotal, "TaxAmount", vat.vat or Decimal(0))
        b.tax_category(subtotal, "TaxCategory", vat.rate)
    totals = b.cac(root, "LegalMonetaryTotal")
    b.money(totals, "LineExtensionAmount", invoice.total_excl_vat)
    b.money(totals, "TaxExclusiveAmount", invoice.total_excl_vat)
    b.money(totals, "TaxInclusiveAmount", invoice.total_incl_vat)
    b.money(totals, "PayableAmount", invoice.total_incl_vat)


def _lines(b: _Builder, root: etree._Element, invoice: Invoice) -> None:
    credit = invoice.kind == "credit-note"
    for number, line in enumerate(invoice.lines, start=1):
        element = b.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        b.cbc(element, "ID", str(number))
        b.cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity",
              f"{line.quantity.normalize():f}", unitCode="C62")
        b.money(element, "LineExtensionAmount", line.amount)
        item = b.cac(element, "Item")
        b.cbc(item, "Name", line.description)
        b.tax_category(item, "ClassifiedTaxCategory", line.vat_rate)
        b.cbc(b.cac(element, "Price"), "PriceAmount", _amount(line.unit_price),
              currencyID=invoice.currency)
