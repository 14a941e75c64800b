"""Peppol: a document's validation result as the API shows it."""

from __future__ import annotations

from marshmallow import Schema, fields


class PeppolFindingSchema(Schema):
    rule = fields.String(metadata={"description": "e.g. BR-CO-15, PEPPOL-EN16931-R001, UBL-XSD"})
    flag = fields.String(metadata={"enum": ["fatal", "warning"]})
    location = fields.String(metadata={"description": "XPath (rules) or line (schema)"})
    message = fields.String()


class PeppolValidationSchema(Schema):
    """The official rules' verdict on a Peppol document (GET /documents/{id} only)."""

    valid = fields.Boolean(allow_none=True)
    rules = fields.String(allow_none=True, metadata={"description": "versions checked"})
    errors = fields.List(fields.Nested(PeppolFindingSchema))
    warnings = fields.List(fields.Nested(PeppolFindingSchema))
    rendition = fields.Dict(allow_none=True,
                            metadata={"description": "the embedded PDF: file_name, size"})
