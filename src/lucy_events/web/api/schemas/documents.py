"""Documents: uploads, typing, sending (one or many) and how a document reads."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.aggregates.document_rules import DOCUMENT_TYPES, DocumentStatus
from lucy_events.projections.document_queries import MAX_PAGE_SIZE
from lucy_events.web.api.schemas.common import (
    ErrorDetailSchema,
    PageSchema,
    Strict,
    page_number,
    page_size_field,
)

LISTED = [s.value for s in DocumentStatus if s is not DocumentStatus.DELETED]
MAX_BULK = 500


class DocumentSchema(Schema):
    id = fields.UUID(attribute="document_id")
    client_id = fields.UUID()
    file_name = fields.String()
    media_type = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    channel = fields.String(metadata={"enum": ["email", "upload", "peppol", "api"]})
    sender = fields.String(allow_none=True)
    document_type = fields.String(allow_none=True, metadata={"enum": list(DOCUMENT_TYPES)})
    status = fields.String(metadata={"enum": LISTED})
    received_at = fields.DateTime()
    status_at = fields.DateTime(metadata={"description": "when the status last changed"})
    attempts = fields.Integer(metadata={"description": "delivery attempts so far"})
    failure_reason = fields.String(allow_none=True)
    retryable = fields.Boolean()
    sent_at = fields.DateTime(allow_none=True)
    package = fields.String(allow_none=True, metadata={"description": "where it was sent"})
    remote_reference = fields.String(allow_none=True)


class DocumentPageSchema(PageSchema):
    items = fields.List(fields.Nested(DocumentSchema), required=True)


class DocumentListQuerySchema(Strict):
    status = fields.List(fields.String(validate=validate.OneOf(LISTED)),
                         metadata={"description": "repeat for several statuses"})
    page = page_number()
    page_size = page_size_field(50, MAX_PAGE_SIZE)


class UploadSchema(Strict):
    """The multipart form of an upload: the files and, optionally, their type."""

    file = fields.Raw(required=True, load_only=True,
                      metadata={"type": "string", "format": "binary",
                                "description": "repeat the part for several files"})
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES))


class DocumentTypeSchema(Strict):
    document_type = fields.String(required=True, validate=validate.OneOf(DOCUMENT_TYPES))


class BulkSendSchema(Strict):
    document_ids = fields.List(fields.UUID(), required=True,
                               validate=validate.Length(min=1, max=MAX_BULK))


class SendOutcomeSchema(Schema):
    document_id = fields.UUID()
    outcome = fields.String(metadata={"enum": ["requested", "refused"]})
    error = fields.Nested(ErrorDetailSchema, allow_none=True,
                          metadata={"description": "why it was refused"})


class BulkSendResultSchema(Schema):
    """One outcome per distinct document, in the order asked; the requests are recorded
    together, the refused ones say why."""

    results = fields.List(fields.Nested(SendOutcomeSchema))
    requested = fields.Integer()
    refused = fields.Integer()
