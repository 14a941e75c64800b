"""What every API schema shares: strict loading, pages, errors, moments in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate


class Strict(Schema):
    """Refuses names it does not know: a 400 naming the field."""

    class Meta:
        unknown = RAISE


#: Far past any real list, and small enough for every database's OFFSET (a 64-bit
#: integer): a larger number is a 400 naming the field, not a 500 from the database.
MAX_PAGE = 1_000_000


def page_number() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "1 is the first page"})


def page_size_field(default: int, maximum: int) -> fields.Integer:
    return fields.Integer(load_default=default, validate=validate.Range(min=1, max=maximum),
                          metadata={"description": f"{default} unless given, at most {maximum}"})


class PageSchema(Schema):
    """Every list answers ``{"items": [...], "total", "page", "page_size"}``."""

    total = fields.Integer(required=True, metadata={"description": "items on all pages"})
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)


class Moment(fields.Field[datetime]):
    """An ISO 8601 date or date-time; without a zone it is UTC. A bare date stands for
    the start of that day, or its end with ``end_of_day`` (as in "as of 2026-11-02")."""

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("type", "string")
        metadata.setdefault("format", "date-time")
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise ValidationError("not an ISO 8601 date or date-time")
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("not an ISO 8601 date or date-time") from None
        if len(text) == 10 and self.end_of_day:
            moment = datetime.combine(moment.date(), time.max)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable, snake_case"})
    message = fields.String(required=True)
    field_errors = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True, data_key="fields",
        metadata={"description": "what is wrong with each named field "
                  "(dotted for nested ones: contact_person.email)"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)
