"""What the multisender's API takes and answers: the client's destinations and the
sendings of its documents to them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MAX_DOCUMENTS = 200


class DestinationCreateSchema(Schema):
    address = fields.String(required=True, validate=validate.Length(min=1, max=254),
                            metadata={"description": "an e-mail address; a link to confirm "
                                      "it is mailed there"})
    label = fields.String(load_default=None, allow_none=True,
                          validate=validate.Length(max=80),
                          metadata={"description": "a name for it (the address if none)"})


class DestinationSchema(Schema):
    id = fields.UUID(attribute="destination_id")
    address = fields.String()
    label = fields.String()
    confirmed = fields.Boolean(metadata={"description": "the link mailed to it was opened: "
                                         "documents may be sent there"})
    added_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    link_expires_at = fields.DateTime(attribute="expires_at", allow_none=True, metadata={
        "description": "when the confirmation link stops working (null once confirmed)"})


class ConfirmationMailSchema(Schema):
    sent = fields.Boolean(metadata={"description": "the e-mail with the link went out"})
    error = fields.String(allow_none=True, metadata={
        "description": "why not (the relay's words); ask for a new link later"})


class DestinationLinkSchema(Schema):
    destination = fields.Nested(DestinationSchema)
    confirmation_mail = fields.Nested(ConfirmationMailSchema)


class DestinationListSchema(Schema):
    items = fields.List(fields.Nested(DestinationSchema))


class SendToSchema(Schema):
    destination_id = fields.UUID(required=True, metadata={
        "description": "one of the company's confirmed destinations"})
    document_ids = fields.List(fields.UUID(), required=True,
                               validate=validate.Length(min=1, max=MAX_DOCUMENTS),
                               metadata={"description": "the company's documents, any "
                                         "status (Sent ones included)"})


class SendingSchema(Schema):
    id = fields.UUID(attribute="sending_id")
    document_id = fields.UUID()
    destination_id = fields.UUID()
    address = fields.String()
    label = fields.String()
    attempt = fields.Integer()
    status = fields.String(metadata={"description": "requested, sent or failed (not an "
                                     "enum: more may come)"})
    requested_at = fields.DateTime()
    at = fields.DateTime(metadata={"description": "when the status was last recorded"})
    message_id = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "why it failed"})
    retryable = fields.Boolean(allow_none=True, metadata={
        "description": "true when trying again without a fix may succeed"})


class SendingListSchema(Schema):
    items = fields.List(fields.Nested(SendingSchema))


class MultisendOutcomeSchema(Schema):
    document_id = fields.UUID()
    sending = fields.Nested(SendingSchema, allow_none=True)
    error = fields.Dict(allow_none=True, metadata={
        "description": "why this document was not sent: {code, message}"})


class MultisendOutcomeListSchema(Schema):
    items = fields.List(fields.Nested(MultisendOutcomeSchema))


class ConfirmedSchema(Schema):
    client = fields.String(metadata={"description": "the company that will send there"})
    destination = fields.Nested(DestinationSchema)
