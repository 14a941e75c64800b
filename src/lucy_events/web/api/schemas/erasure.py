"""An erasure request and what it did."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.web.api.schemas.common import Strict


class ErasureSchema(Strict):
    email = fields.String(validate=validate.Length(min=3, max=320), metadata={
        "description": "the person known by this address (a client's contact person, an "
                       "invitee, a mail sender); name exactly one of email, staff_id, "
                       "client_id"})
    staff_id = fields.UUID(metadata={"description": "a former staff member (remove them "
                                                    "from the staff first)"})
    client_id = fields.UUID(metadata={"description": "this client's current contact "
                                                     "person"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500),
                           metadata={"description": "why: the request's reference (kept "
                                                    "in the trail; no personal data)"})


class ErasedSchema(Schema):
    person_id = fields.UUID(metadata={"description": "the person's id (PersonErased)"})
    identified_by = fields.String(metadata={"description": "email or staff"})
    key_destroyed = fields.Boolean(metadata={
        "description": "false when no key was left: erased before, or nothing of theirs "
                       "was stored sealed"})
    rebuilt = fields.List(fields.String(), metadata={"description": "the read models "
                                                     "rebuilt without their data"})
