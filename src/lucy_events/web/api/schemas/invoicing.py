"""Invoice settings, invoices and credit notes as the API reads and shows them. Amounts
are decimal strings ("12.50"), never JSON numbers, so no float ever touches them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.aggregates.invoice_rules import UNITS, VAT_CATEGORIES
from lucy_events.aggregates.invoice_settings import LANGUAGES
from lucy_events.register import LANGUAGES as REGISTER_LANGUAGES
from lucy_events.web.api.schemas.common import Strict

_TEXT = validate.Length(max=200)
_AMOUNT = {"description": "a decimal string, e.g. \"12.50\"", "example": "12.50"}


class InvoiceSettingsSchema(Strict):
    """The seller on the client's invoices (prefilled from the client until saved), the
    account customers pay to, terms, default VAT rate, language and numbering."""

    seller_name = fields.String(required=True, validate=_TEXT)
    seller_enterprise_number = fields.String(load_default="", validate=_TEXT)
    seller_vat = fields.String(load_default="", validate=_TEXT)
    seller_street = fields.String(required=True, validate=_TEXT)
    seller_postal_code = fields.String(required=True, validate=_TEXT)
    seller_city = fields.String(required=True, validate=_TEXT)
    seller_country = fields.String(required=True, validate=validate.Length(equal=2))
    seller_email = fields.String(load_default="", validate=_TEXT)
    iban = fields.String(required=True, validate=validate.Length(max=42))
    bic = fields.String(load_default="", validate=validate.Length(max=11))
    payment_terms_days = fields.Integer(load_default=30, validate=validate.Range(0, 365))
    default_vat_rate = fields.String(load_default="21", validate=validate.Length(max=8),
                                     metadata=_AMOUNT)
    language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))
    number_prefix = fields.String(load_default="INV-", validate=validate.Length(max=20))
    logo = fields.String(load_only=True, load_default=None, allow_none=True,
                         validate=validate.Length(max=2_000_000),
                         metadata={"description": "a PNG or JPEG image, base64; null keeps "
                                   "the current logo, \"\" removes it"})


class InvoiceSettingsAnswerSchema(InvoiceSettingsSchema):
    saved = fields.Boolean(dump_only=True, metadata={"description": "false: prefilled"})
    has_logo = fields.Boolean(dump_only=True)


class CustomerSchema(Strict):
    name = fields.String(required=True, validate=_TEXT)
    enterprise_number = fields.String(load_default="", validate=_TEXT)
    vat = fields.String(load_default="", validate=_TEXT)
    street = fields.String(required=True, validate=_TEXT)
    postal_code = fields.String(required=True, validate=_TEXT)
    city = fields.String(required=True, validate=_TEXT)
    country = fields.String(required=True, validate=validate.Length(equal=2))
    email = fields.String(load_default="", validate=_TEXT)
    reference = fields.String(load_default="", validate=_TEXT,
                              metadata={"description": "the buyer's reference (BT-10)"})


class LineSchema(Strict):
    description = fields.String(required=True, validate=validate.Length(max=500))
    quantity = fields.String(required=True, validate=validate.Length(max=20), metadata=_AMOUNT)
    unit = fields.String(load_default="C62", validate=validate.OneOf(UNITS))
    unit_price = fields.String(required=True, validate=validate.Length(max=20),
                               metadata=_AMOUNT)
    vat_category = fields.String(load_default="S", validate=validate.OneOf(VAT_CATEGORIES))
    vat_rate = fields.String(load_default="", validate=validate.Length(max=8), metadata=_AMOUNT)
    exemption_reason = fields.String(load_default="", validate=validate.Length(max=300))
    net = fields.String(dump_only=True, metadata=_AMOUNT)


class AdjustmentSchema(Strict):
    """A document-level allowance (charge false) or charge (charge true)."""

    charge = fields.Boolean(load_default=False)
    reason = fields.String(required=True, validate=_TEXT)
    amount = fields.String(required=True, validate=validate.Length(max=20), metadata=_AMOUNT)
    vat_category = fields.String(load_default="S", validate=validate.OneOf(VAT_CATEGORIES))
    vat_rate = fields.String(load_default="", validate=validate.Length(max=8), metadata=_AMOUNT)
    exemption_reason = fields.String(load_default="", validate=validate.Length(max=300))


class InvoiceDraftSchema(Strict):
    """A draft: its customer, lines, allowances and charges, due date (default: the
    settings' payment terms from today) and note."""

    customer = fields.Nested(CustomerSchema, required=True)
    lines = fields.List(fields.Nested(LineSchema), required=True,
                        validate=validate.Length(min=1, max=500))
    adjustments = fields.List(fields.Nested(AdjustmentSchema), load_default=list,
                              validate=validate.Length(max=50))
    due_date = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=1000))


class CreditNoteSchema(Strict):
    """A credit note of an issued invoice: its lines unless others are given."""

    lines = fields.List(fields.Nested(LineSchema), load_default=None, allow_none=True,
                        validate=validate.Length(min=1, max=500))
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=1000))


class VatSubtotalSchema(Schema):
    category = fields.String()
    rate = fields.String()
    exemption_reason = fields.String()
    taxable = fields.String(metadata=_AMOUNT)
    vat = fields.String(metadata=_AMOUNT)


class TotalsSchema(Schema):
    lines = fields.String(metadata=_AMOUNT)
    allowances = fields.String(metadata=_AMOUNT)
    charges = fields.String(metadata=_AMOUNT)
    excl_vat = fields.String(metadata=_AMOUNT)
    vat = fields.String(metadata=_AMOUNT)
    incl_vat = fields.String(metadata=_AMOUNT)
    breakdown = fields.List(fields.Nested(VatSubtotalSchema))


class InvoiceSchema(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": ["invoice", "credit-note"]})
    status = fields.String(metadata={
        "enum": ["Draft", "Issued", "Sent", "Delivered", "Failed"],
        "description": "Delivered: the Peppol access point confirmed delivery"})
    number = fields.String(allow_none=True)
    sent_to = fields.String(allow_none=True, metadata={
        "description": "the e-mail address, or the Peppol participant id, it was sent to"})
    sent_via = fields.String(allow_none=True, metadata={"enum": ["email", "peppol"]})
    transmission_id = fields.String(allow_none=True, metadata={
        "description": "the Peppol access point's transmission, while on its way"})
    send_failure = fields.String(allow_none=True, metadata={
        "description": "why sending or delivery failed (status Failed); it may be sent "
                       "again"})
    issue_date = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)
    structured_communication = fields.String(allow_none=True)
    credited_invoice_id = fields.UUID(allow_none=True)
    credited_number = fields.String(allow_none=True)
    customer = fields.Dict(keys=fields.String(), values=fields.String())
    lines = fields.List(fields.Nested(LineSchema))
    adjustments = fields.List(fields.Nested(AdjustmentSchema))
    note = fields.String(allow_none=True)
    totals = fields.Nested(TotalsSchema)
    document_id = fields.UUID(allow_none=True, metadata={
        "description": "the sales document in the client's Inbox, once issued"})


class InvoiceRowSchema(Schema):
    id = fields.UUID(attribute="invoice_id")
    kind = fields.String()
    status = fields.String()
    number = fields.String(allow_none=True)
    issue_date = fields.String(allow_none=True)
    due_date = fields.String(allow_none=True)
    customer_name = fields.String()
    credited_number = fields.String(allow_none=True)
    total_incl_vat = fields.String(allow_none=True, metadata=_AMOUNT)
    document_id = fields.String(allow_none=True)


class InvoiceListSchema(Schema):
    """The client's invoices and credit notes, newest first, and its earlier customers."""

    items = fields.List(fields.Nested(InvoiceRowSchema), required=True)
    total = fields.Integer(required=True)
    customers = fields.List(fields.Dict(keys=fields.String(), values=fields.String()))


class CustomerQuerySchema(Strict):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "a name, an enterprise number or a VAT number"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
    language = fields.String(load_default="NL", validate=validate.OneOf(REGISTER_LANGUAGES),
                             metadata={"description": "of the register's addresses"})


class CustomerMatchSchema(Schema):
    source = fields.String(metadata={"enum": ["earlier", "register"], "description":
                                     "a customer invoiced before, or the company register"})
    customer = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "the customer's fields, ready for a draft's customer"})


class CustomerSearchSchema(Schema):
    """Customers matching the query: earlier customers first, then the register."""

    items = fields.List(fields.Nested(CustomerMatchSchema), required=True)


class PeppolSendingSchema(Strict):
    """The firm's Peppol access point for sending: its provider's API and bearer token
    (write-only: kept encrypted, never shown)."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=500),
                             metadata={"example": "https://ap.provider.example/api"})
    token = fields.String(load_only=True, load_default="",
                          validate=validate.Length(max=2000), metadata={
                              "description": "empty keeps the stored token"})


class PeppolSendingAnswerSchema(Schema):
    endpoint = fields.String(allow_none=True)
    has_token = fields.Boolean()
