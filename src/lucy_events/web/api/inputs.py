"""Reading a request's JSON body, query string or form with a marshmallow schema.

Schemas refuse unknown names (``RAISE``), so a typo is a 400 naming the field instead of
a setting silently ignored.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields

#: No command needs more (a bulk send of 500 ids is about 20 kB); larger is a 413.
MAX_JSON_BYTES = 1024 * 1024
#: No command's body nests deeper than a few levels; Python's parser recurses per level,
#: so a body of 100,000 ``[`` would exhaust the stack: refused before it is parsed.
MAX_JSON_DEPTH = 32
_OPENING, _CLOSING, _QUOTE, _ESCAPE = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets in strings aside)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot be too deep: skip the byte-by-byte walk
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _ESCAPE:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif byte in _CLOSING:
            depth -= 1
    return deepest


def json_body(schema: Schema) -> dict[str, Any]:
    """The JSON body as loaded by ``schema``; an empty body counts as ``{}``."""
    request.max_content_length = MAX_JSON_BYTES
    raw = request.get_data(cache=True)
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ValidationError(f"nested deeper than {MAX_JSON_DEPTH} levels", "_schema")
    data = request.get_json() if raw else {}
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
