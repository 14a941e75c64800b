"""Documents: uploads, typing, sending (one or many) and how a document reads."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.aggregates.document_rules import (
    DOCUMENT_TYPES,
    DUPLICATE_GROUNDS,
    FIELD_NAMES,
    DocumentStatus,
)
from lucy_events.projections.document_queries import MAX_PAGE_SIZE
from lucy_events.web.api.schemas.common import (
    ErrorDetailSchema,
    PageSchema,
    Strict,
    page_number,
    page_size_field,
)
from lucy_events.web.api.schemas.peppol import PeppolValidationSchema

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
    peppol_validation = fields.Nested(
        PeppolValidationSchema, allow_none=True, dump_only=True,
        metadata={"description": "Peppol documents (GET one): the validation result"})
    supplier_name = fields.String(allow_none=True)
    supplier_vat = fields.String(allow_none=True)
    invoice_number = fields.String(allow_none=True)
    issue_date = fields.String(allow_none=True, metadata={"description": "YYYY-MM-DD"})
    total_incl_vat = fields.String(allow_none=True, metadata={"description": "e.g. 121.00"})
    currency = fields.String(allow_none=True)
    recognition_method = fields.String(allow_none=True, metadata={
        "description": "how it was read: ubl, factur-x, pdf-text, ocr or none"})
    recognition_confidence = fields.Float(allow_none=True)
    possible_duplicate = fields.Boolean()
    duplicate_of = fields.UUID(allow_none=True)


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


class RecognitionSchema(Schema):
    method = fields.String(metadata={"description": "ubl, factur-x, pdf-text, ocr or none"})
    confidence = fields.Float()
    document_type = fields.String(allow_none=True, metadata={"description": "the type read"})
    reason = fields.String(allow_none=True, metadata={"description": "why little was read"})
    recognised = fields.Boolean(metadata={"description": "the type was read confidently"})


class DuplicateSchema(Schema):
    document_id = fields.UUID()
    ground = fields.String(metadata={"enum": list(DUPLICATE_GROUNDS)})
    held = fields.Boolean(metadata={"description": "this one (the newer) waits for a decision"})


class DocumentDetailSchema(DocumentSchema):
    """The document with every field: what was read, overruled by corrections."""

    field_values = fields.Dict(
        keys=fields.String(), values=fields.String(allow_none=True), data_key="fields",
        attribute="fields", metadata={"description": "dates YYYY-MM-DD, amounts decimals"})
    corrected_by = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "corrected field (or document_type) -> who corrected it"})
    vat_breakdown = fields.List(fields.Dict(keys=fields.String(), values=fields.String()))
    recognition = fields.Nested(RecognitionSchema, allow_none=True)
    duplicates = fields.List(fields.Nested(DuplicateSchema))


class FieldsCorrectionSchema(Strict):
    # The names a correction may use, as the description's properties (a name not
    # listed is refused, 400, so the description must not allow it either).
    field_values = fields.Nested(
        Strict.from_dict({name: fields.String(allow_none=True) for name in FIELD_NAMES},
                         name="FieldValues"),
        load_default=dict, data_key="fields", attribute="fields",
        metadata={"description": "field -> corrected value (null clears)"})
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES), allow_none=True)
