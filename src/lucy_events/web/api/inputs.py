"""Reading a request's JSON body, query string or form with a marshmallow schema.

Schemas refuse unknown names (``RAISE``), so a typo is a 400 naming the field instead of
a setting silently ignored.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, fields

#: No command needs more (a bulk send of 500 ids is about 20 kB); larger is a 413.
MAX_JSON_BYTES = 1024 * 1024


def json_body(schema: Schema) -> dict[str, Any]:
    """The JSON body as loaded by ``schema``; an empty body counts as ``{}``."""
    request.max_content_length = MAX_JSON_BYTES
    data = request.get_json() if request.get_data(cache=True) else {}
    loaded: dict[str, Any] = schema.load(data)
    return loaded


def _multi(schema: Schema, values: dict[str, list[str]]) -> dict[str, Any]:
    """Repeated names (``?status=Inbox&status=Failed``) stay lists for list fields; any
    other field takes the last value given."""
    return {
        name: given if isinstance(schema.fields.get(name), fields.List) else given[-1]
        for name, given in values.items()
    }


def query_args(schema: Schema) -> dict[str, Any]:
    loaded: dict[str, Any] = schema.load(_multi(schema, request.args.to_dict(flat=False)))
    return loaded


def form_fields(schema: Schema) -> dict[str, Any]:
    loaded: dict[str, Any] = schema.load(_multi(schema, request.form.to_dict(flat=False)))
    return loaded
