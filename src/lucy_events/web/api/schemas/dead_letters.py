"""Parked messages as the admins' API shows them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.web.api.schemas.common import PageSchema, Strict, page_number, page_size_field


class DeadLetterQuerySchema(Strict):
    consumer = fields.String(metadata={"description": "only this consumer's (e.g. router)"})
    page = page_number()
    page_size = page_size_field(100, 1000)


class DeadLetterSchema(Schema):
    id = fields.String(metadata={"description": "consumer:topic:partition:position"})
    consumer = fields.String(metadata={"description": "the consumer that parked it"})
    topic = fields.String(metadata={"description": "its topic, or log (in-process)"})
    partition = fields.Integer()
    position = fields.Integer(metadata={"description": "its offset, or notification id"})
    event_id = fields.String(allow_none=True)
    error = fields.String(metadata={"description": "why it was parked"})
    parked_at = fields.String(metadata={"description": "ISO 8601, UTC"})


class DeadLetterPageSchema(PageSchema):
    items = fields.List(fields.Nested(DeadLetterSchema), required=True)


class ReplayedSchema(Schema):
    id = fields.String(attribute="letter_id")
    outcome = fields.String(validate=validate.OneOf(
        ["replayed", "already replayed", "refused again"]), metadata={
        "description": "replayed; already replayed (another replay took it first: no "
                       "second effect); refused again (still parked, newest reason)"})
    reason = fields.String(allow_none=True)
