"""A client's settings, one small body per sub-resource, and invitations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.web.api.schemas.clients import ClientDetailSchema
from lucy_events.web.api.schemas.common import Strict


class PeppolSchema(Strict):
    """The wanted state of each direction: true enables it, false disables it."""

    send = fields.Boolean(required=True)
    receive = fields.Boolean(required=True)
    confirm_registration = fields.Boolean(load_default=False, metadata={
        "description": "enable receiving although the Peppol lookup warned (registered "
                       "with another provider, or the lookup failed); the event keeps it"})


class IntegrationSchema(Strict):
    package = fields.String(required=True, validate=validate.OneOf(list(PACKAGES)),
                            metadata={"description": "the package code; none for an "
                                      "explicit \"no integration\""})
    settings = fields.Dict(
        keys=fields.String(), values=fields.String(), load_default=dict,
        metadata={"description": "e-mail packages: purchase_address (required), "
                  "sales_address; API packages: administration; FTP packages: folder"})
    ubl = fields.Boolean(load_default=False, metadata={"description": "UBL instead of PDF"})


class AllowedSendersSchema(Strict):
    senders = fields.List(
        fields.String(validate=validate.Length(min=1, max=254)), required=True,
        validate=validate.Length(max=200),
        metadata={"description": "e-mail addresses (ap@acme.be) or whole domains (acme.be)"})


class VisibilitySchema(Strict):
    hidden = fields.Boolean(required=True, metadata={"description": "hidden from accountants"})


class FirmContactSchema(Strict):
    staff_id = fields.UUID(required=True, allow_none=True,
                           metadata={"description": "a staff member of the firm, or null"})


class TeamSchema(Strict):
    team_id = fields.UUID(required=True, allow_none=True)


class AutoSendSchema(Strict):
    auto_send = fields.Boolean(required=True)


class InvitationMailSchema(Schema):
    to = fields.String(metadata={"description": "where the invitation e-mail went"})
    sent = fields.Boolean(metadata={"description": "false: it could not go out (error)"})
    error = fields.String(allow_none=True)


class InvitationSchema(Schema):
    """The invitation link, shown this once: only its hash is kept."""

    email = fields.Nested(InvitationMailSchema)
    link = fields.String(metadata={"description": "/invitations/{token}, for the client"})
    accept_path = fields.String(metadata={"description": "the API call behind the link"})
    expires_at = fields.DateTime()
    client = fields.Nested(ClientDetailSchema, allow_none=True)


class InvitationAcceptedSchema(Schema):
    client_id = fields.UUID()
    name = fields.String()
    status = fields.String()
    plan = fields.String()
    trial_ends_on = fields.Date()
