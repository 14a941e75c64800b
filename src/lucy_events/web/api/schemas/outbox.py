"""The outbox's messages, as the API lists them."""

from __future__ import annotations

from marshmallow import Schema, fields


class OutboxEntrySchema(Schema):
    id = fields.String(metadata={"description": "the message's name in the outbox"})
    message_id = fields.String()
    to = fields.String()
    subject = fields.String()
    sent_at = fields.DateTime()


class OutboxPageSchema(Schema):
    backend = fields.String(metadata={"description": "outbox, or smtp (then nothing is kept)"})
    messages = fields.List(fields.Nested(OutboxEntrySchema))
