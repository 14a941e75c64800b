"""Connecting a package's firm account by OAuth2 consent (Exact Online)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.web.api.schemas.common import Strict


class ConsentStartedSchema(Schema):
    authorize_url = fields.String(metadata={"description": "the package's consent page: "
                                            "open it in the admin's browser"})
    redirect_uri = fields.String(metadata={"description": "where the package sends the "
                                           "browser back (register it with the app)"})
    expires_at = fields.DateTime(metadata={"description": "until when the consent may "
                                           "be finished (single use)"})


class ConsentCallbackSchema(Strict):
    """What the package put on the redirect URI's query string."""

    state = fields.String(required=True, validate=validate.Length(min=1, max=200))
    code = fields.String(load_default=None, validate=validate.Length(max=2000))
    error = fields.String(load_default=None, validate=validate.Length(max=200))
    error_description = fields.String(load_default=None, validate=validate.Length(max=500))
