"""Clients: what a new client needs, the list's filters, and how a client reads.

Shapes (types, required names, e-mail syntax, known values) are checked here: a 400.
Business rules (a valid Belgian enterprise number, a KvK number) are the domain's: a
422 that names the field too. The lists of known values come from the domain itself.
"""

from __future__ import annotations

from uuid import UUID

from marshmallow import Schema, ValidationError, fields, validate

from lucy_events.aggregates.client import ClientStatus
from lucy_events.aggregates.companies import COUNTRIES
from lucy_events.aggregates.packages import PACKAGES
from lucy_events.projections import Tab
from lucy_events.projections.client_filters import SORTS
from lucy_events.projections.client_queries import MAX_PAGE_SIZE
from lucy_events.web.api.schemas.common import PageSchema, Strict, page_number, page_size_field

PEPPOL_FILTERS = ("send", "receive", "both", "any", "none")


def _text(maximum: int, **kwargs: object) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=maximum), **kwargs)  # type: ignore[arg-type]


class AddressSchema(Strict):
    street = _text(200, required=True)
    postal_code = _text(12, required=True)
    city = _text(200, required=True)
    country = fields.String(required=True, validate=validate.Length(equal=2),
                            metadata={"description": "ISO 3166 two-letter code"})


class ContactPersonSchema(Strict):
    first_name = _text(200, required=True)
    last_name = _text(200, required=True)
    email = fields.Email(required=True)
    phone = fields.String(load_default="", validate=validate.Length(max=40))


class ClientCreateSchema(Strict):
    name = _text(200, required=True)
    country = fields.String(required=True, validate=validate.OneOf(COUNTRIES))
    enterprise_number = fields.String(
        allow_none=True, validate=validate.Length(max=20),
        metadata={"description": "Belgian KBO/BCE number, or Dutch KvK number"})
    vat_number = fields.String(allow_none=True, validate=validate.Length(max=20))
    legal_form = fields.String(load_default="", validate=validate.Length(max=50))
    address = fields.Nested(AddressSchema, required=True)
    contact_person = fields.Nested(ContactPersonSchema, required=True)
    team_id = fields.UUID(allow_none=True)
    firm_contact_id = fields.UUID(allow_none=True, metadata={"description": "admins only"})


def _team_filter(value: str) -> None:
    if value != "none":
        try:
            UUID(value)
        except ValueError:
            raise ValidationError("a team id, or 'none'") from None


class ClientListQuerySchema(Strict):
    tab = fields.String(validate=validate.OneOf([t.value for t in Tab]),
                        metadata={"description": "admins: invitations, onboarding, mine, all "
                                  "(default); accountants: onboarding, mine (default)"})
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "part of the name, enterprise or VAT number"})
    status = fields.String(validate=validate.OneOf([s.value for s in ClientStatus]))
    team = fields.String(validate=_team_filter, metadata={"description": "a team id, or none"})
    peppol = fields.String(validate=validate.OneOf(PEPPOL_FILTERS))
    integration = fields.String(validate=validate.OneOf(list(PACKAGES)),
                                metadata={"description": "a package code, or none"})
    has_inbox = fields.Boolean()
    sort = fields.String(load_default="name", validate=validate.OneOf(list(SORTS)))
    page = page_number()
    page_size = page_size_field(25, MAX_PAGE_SIZE)


class ClientSchema(Schema):
    """A client as the dashboard lists it (the viewer's favourite flag included)."""

    id = fields.UUID(attribute="client_id")
    name = fields.String()
    enterprise_number = fields.String(allow_none=True)
    vat_number = fields.String(allow_none=True)
    country = fields.String()
    status = fields.String(metadata={"enum": [s.value for s in ClientStatus]})
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    firm_contact_id = fields.UUID(allow_none=True)
    firm_contact_name = fields.String(allow_none=True)
    team_id = fields.UUID(allow_none=True)
    team_name = fields.String(allow_none=True)
    invitation_expires_at = fields.DateTime(allow_none=True)
    activated_at = fields.DateTime(allow_none=True)
    plan = fields.String(allow_none=True)
    trial_ends_on = fields.Date(allow_none=True)
    integration_package = fields.String(
        allow_none=True, metadata={"description": "none: explicitly no integration; "
                                   "null: nothing chosen yet"})
    integration_name = fields.String(allow_none=True)
    integration_kind = fields.String(allow_none=True)
    integration_ubl = fields.Boolean(allow_none=True)
    peppol_send = fields.Boolean()
    peppol_receive = fields.Boolean()
    hidden = fields.Boolean()
    auto_send = fields.Boolean()
    inbox_count = fields.Integer()
    sending_count = fields.Integer()
    failed_count = fields.Integer()
    rejected_count = fields.Integer()
    last_document_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    favourite = fields.Boolean(metadata={"description": "the viewer's favourite (listed first)"})


class ProfileSchema(Schema):
    legal_form = fields.String()
    address = fields.Nested(AddressSchema)
    contact_person = fields.Nested(ContactPersonSchema)
    allowed_senders = fields.List(fields.String())
    integration_settings = fields.Dict(keys=fields.String(), values=fields.String(),
                                       allow_none=True)
    inbox_address = fields.String(metadata={
        "description": "where the client mails its documents (never changes)"})


class ClientDetailSchema(ClientSchema):
    """One client: its dashboard row and its profile (read from its own events)."""

    profile = fields.Nested(ProfileSchema)


class ClientPageSchema(PageSchema):
    items = fields.List(fields.Nested(ClientSchema), required=True)
    tab = fields.String(metadata={"description": "the tab listed"})
    tab_counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                             metadata={"description": "clients in each of the viewer's tabs, "
                                       "with the same filters"})
