"""The company register's search: the query and what it answers per company."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.register import LANGUAGES, MAX_LIMIT
from lucy_events.web.api.schemas.common import Strict


class RegisterSearchQuerySchema(Strict):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200),
                      metadata={"description": "a name (accents and a typo are fine), an "
                                "enterprise number or a VAT number, in any format"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_LIMIT),
                           metadata={"description": f"10 unless given, at most {MAX_LIMIT}"})
    language = fields.String(load_default="NL", validate=validate.OneOf(LANGUAGES),
                             metadata={"description": "of the legal form, status and address"})


class RegisterAddressSchema(Schema):
    street = fields.String()
    postal_code = fields.String()
    city = fields.String()
    country = fields.String(metadata={"description": "BE, or empty for an address abroad"})
    country_name = fields.String(metadata={"description": "the country abroad, as written"})


class RegisterEntrySchema(Schema):
    enterprise_number = fields.String(metadata={"description": "10 digits, 0200065765"})
    enterprise_number_display = fields.String(metadata={"description": "0200.065.765"})
    vat_number = fields.String(metadata={"description": "BE0200065765"})
    name = fields.String()
    matched_name = fields.String(metadata={"description": "the name the search matched, "
                                           "when it is not the official one"})
    legal_form_code = fields.String()
    legal_form = fields.String()
    status_code = fields.String()
    status = fields.String()
    start_date = fields.String(allow_none=True, metadata={"description": "ISO date"})
    address = fields.Nested(RegisterAddressSchema)


class RegisterResultsSchema(Schema):
    items = fields.List(fields.Nested(RegisterEntrySchema), required=True)
