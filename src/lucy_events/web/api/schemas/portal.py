"""What the client portal's API answers: the signed-in user and their company."""

from __future__ import annotations

from marshmallow import Schema, fields


class PortalUserSchema(Schema):
    id = fields.UUID(attribute="user_id")
    email = fields.String()
    name = fields.String()
    role = fields.String(metadata={"description": "owner or member (not an enum)"})


class PortalIntegrationSchema(Schema):
    package = fields.String(metadata={"description": "the accountant's package code"})
    name = fields.String(metadata={"description": "the package's name"})
    ubl = fields.Boolean(metadata={"description": "UBL is sent instead of PDF"})


class PortalCompanySchema(Schema):
    id = fields.UUID()
    name = fields.String()
    inbox_address = fields.String(metadata={"description": "send documents here"})
    allowed_senders = fields.List(fields.String(), metadata={
        "description": "mail from these addresses or domains is accepted at once"})
    auto_send = fields.Boolean(metadata={
        "description": "recognised documents go to the accountant's package by themselves"})
    integration = fields.Nested(PortalIntegrationSchema, allow_none=True, metadata={
        "description": "the accountant's package (read-only here), or null"})


class PortalMeSchema(Schema):
    user = fields.Nested(PortalUserSchema)
    company = fields.Nested(PortalCompanySchema)
