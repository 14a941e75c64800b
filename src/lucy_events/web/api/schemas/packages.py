"""The firm-level set-up of the API and FTP packages."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.web.api.schemas.common import Strict


class PortalSettingsSchema(Strict):
    settings = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        values=fields.String(validate=validate.Length(max=2000)), required=True,
        validate=validate.Length(max=20),
        metadata={"description": "the package's fields (see GET /packages); an empty or "
                  "absent credential keeps the saved one"})


class PackageCheckSchema(Schema):
    ok = fields.Boolean()
    message = fields.String(metadata={"description": "what the check found, or why it "
                                      "failed (never a secret)"})
    checked_at = fields.DateTime()


class PackageFieldSchema(Schema):
    name = fields.String()
    label = fields.String()
    secret = fields.Boolean(metadata={"description": "kept in the secret store; never "
                                      "shown again"})
    required = fields.Boolean()


class PackageSetupSchema(Schema):
    package = fields.String()
    name = fields.String()
    kind = fields.String()
    configured = fields.Boolean()
    settings = fields.Dict(keys=fields.String(), values=fields.String())
    saved_secrets = fields.List(fields.String(), metadata={
        "description": "the names of the credentials saved (not their values)"})
    by_consent = fields.Boolean(metadata={"description": "the firm's account is connected "
                                          "by the package's OAuth2 consent (POST "
                                          "/packages/{package}/consent)"})
    connected = fields.Boolean(metadata={"description": "consent gave a refresh token "
                                         "(packages connected by consent)"})
    fields_ = fields.List(fields.Nested(PackageFieldSchema), data_key="fields")
    last_check = fields.Nested(PackageCheckSchema, allow_none=True)


class PackageSetupListSchema(Schema):
    packages = fields.List(fields.Nested(PackageSetupSchema))


class IntegrationSettingsSchema(Strict):
    """The linked package's client settings from now on (the package stays linked)."""

    settings = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        values=fields.String(validate=validate.Length(max=500)), load_default=dict,
        validate=validate.Length(max=10),
        metadata={"description": "API packages: administration (Exact: the division, a "
                  "number); FTP packages: folder; e-mail packages: purchase_address, "
                  "sales_address"})
    ubl = fields.Boolean(load_default=False, metadata={"description": "UBL instead of PDF"})
