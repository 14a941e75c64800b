"""Failed deliveries and retrying them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.web.api.schemas.common import (
    Moment,
    PageSchema,
    Strict,
    page_number,
    page_size_field,
)
from lucy_events.web.api.schemas.documents import DocumentSchema


class DeliveryFiltersSchema(Strict):
    client = fields.UUID(metadata={"description": "only this client"})
    integration = fields.String(validate=validate.OneOf(list(PACKAGES)),
                                metadata={"description": "clients linked to this package"})
    since = Moment(metadata={"description": "failed at or after (a date: from its start)"})


class FailedQuerySchema(DeliveryFiltersSchema):
    page = page_number()
    page_size = page_size_field(100, 1000)


class FailedDeliverySchema(Schema):
    document = fields.Nested(DocumentSchema)
    client_name = fields.String(allow_none=True)
    integration = fields.String(allow_none=True, attribute="integration_package",
                                metadata={"description": "where a retry would deliver"})


class FailedPageSchema(PageSchema):
    items = fields.List(fields.Nested(FailedDeliverySchema), required=True)


class SkippedSchema(Schema):
    document_id = fields.UUID()
    reason = fields.String()


class RetryReportSchema(Schema):
    requested = fields.List(fields.UUID(), metadata={"description": "asked to be sent again"})
    skipped = fields.List(fields.Nested(SkippedSchema))
