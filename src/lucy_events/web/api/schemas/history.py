"""A client's history: when, who, what, as of a moment."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lucy_events.audit.export import FORMATS
from lucy_events.web.api.schemas.common import (
    Moment,
    PageSchema,
    Strict,
    page_number,
    page_size_field,
)


class HistoryQuerySchema(Strict):
    as_of = Moment(end_of_day=True,
                   metadata={"description": "only what happened up to then "
                             "(a date: up to the end of that day)"})
    page = page_number()
    page_size = page_size_field(200, 1000)


class HistoryEntrySchema(Schema):
    when = fields.DateTime()
    who = fields.String(metadata={"description": "a staff member's name, the client, a user "
                                  "of the client, or system (name)"})
    actor = fields.String(metadata={"description": "staff:<id>, client:<id>, client_user:<id> "
                                                   "or system:<name> (not an enum)"})
    what = fields.String(metadata={"description": "the event, e.g. Invited, DocumentSent"})
    subject = fields.String(metadata={"enum": ["client", "document", "vault",
                                               "invoice-settings", "invoice",
                                               "multisender", "multisend"]})
    subject_id = fields.UUID()
    version = fields.Integer()
    details = fields.Dict(keys=fields.String(), metadata={
        "description": "the event's fields; private ones (token hashes) never appear"})
    file_name = fields.String(allow_none=True, metadata={"description": "the document's file"})
    label = fields.String(allow_none=True, metadata={
        "description": "an invoice's kind and number, or 'draft for <customer>'"})
    changes = fields.Dict(keys=fields.String(), metadata={
        "description": "field -> {before, after}: what the event changed"})
    names = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "detail field -> name of the staff member or team it refers to"})


class HistoryPageSchema(PageSchema):
    items = fields.List(fields.Nested(HistoryEntrySchema), required=True)
    as_of = fields.Dict(metadata={
        "description": "with ?as_of: the client (id, name, status, plan, auto_send) and its "
                       "documents (id, file_name, status, document_type, received_at, "
                       "channel, sender, failure_reason) as they stood then"})


class HistoryExportQuerySchema(Strict):
    since = Moment(data_key="from", metadata={"description": "from this moment on"})
    until = Moment(data_key="to", end_of_day=True,
                   metadata={"description": "up to this moment (a date: its end)"})
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
