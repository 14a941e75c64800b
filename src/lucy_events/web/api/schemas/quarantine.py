"""Quarantined mail of a client, as admins list it."""

from __future__ import annotations

from marshmallow import Schema, fields


class QuarantinedMailSchema(Schema):
    id = fields.UUID(attribute="mail_id", required=True)
    received_at = fields.AwareDateTime(required=True)
    sender = fields.String(required=True, metadata={"description": "the From address"})
    subject = fields.String(required=True)
    message_id = fields.String(required=True)
    reason = fields.String(required=True, metadata={
        "description": "why it was held, e.g. \"sender not allowed\" or \"SPF fail, DKIM none\""})
    size = fields.Integer(attribute="raw_size", required=True,
                          metadata={"description": "bytes of the whole message"})
    attachments = fields.List(fields.String(), required=True,
                              metadata={"description": "file names that become documents"})


class QuarantineListSchema(Schema):
    items = fields.List(fields.Nested(QuarantinedMailSchema), required=True)


class ReleasedSchema(Schema):
    document_ids = fields.List(fields.UUID(), required=True)
