"""Avro schemas derived from the domain event classes.

The committed files under ``schemas/`` are the contract; this derivation writes the
first version of a new event's schema and lets a test check that every event class and
its latest schema still agree field for field. The envelope is only in its file
(``schemas/lucy.events.Envelope.avsc``). A derived schema has no field docs: write them
(every record and field has one; a contract test checks it).
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Any
from uuid import UUID

from lucy_events.bus.catalogue import ENVELOPE_FIELDS, NAMESPACE, PRIVATE_FIELDS

ENVELOPE_NAME = f"{NAMESPACE}.Envelope"
UUID_TYPE = {"type": "string", "logicalType": "uuid"}


def avro_type(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(hint) if a is not type(None)]
        assert len(members) == 1, f"unsupported union {hint}"
        return ["null", avro_type(members[0])]
    if origin is dict:
        return {"type": "map", "values": avro_type(typing.get_args(hint)[1])}
    if origin is list:
        return {"type": "array", "items": avro_type(typing.get_args(hint)[0])}
    simple = {
        str: "string", bool: "boolean", int: "long", float: "double", UUID: UUID_TYPE,
        datetime: {"type": "long", "logicalType": "timestamp-micros"},
        date: {"type": "int", "logicalType": "date"},
    }
    return simple[hint]


def payload_fields(event_class: type[Any]) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(event_class)
    return [
        (name, hints[name]) for name in event_class.__dataclass_fields__
        if name not in ENVELOPE_FIELDS and name not in PRIVATE_FIELDS
    ]


def derive_schema(event_class: type[Any]) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [{"name": "envelope", "type": ENVELOPE_NAME}]
    for name, hint in payload_fields(event_class):
        field: dict[str, Any] = {"name": name, "type": avro_type(hint)}
        if isinstance(field["type"], list):
            field["default"] = None
        fields.append(field)
    schema: dict[str, Any] = {
        "type": "record", "name": event_class.__name__, "namespace": NAMESPACE,
        "fields": fields,
    }
    if event_class.__doc__ and not event_class.__doc__.startswith(event_class.__name__ + "("):
        schema["doc"] = " ".join(event_class.__doc__.split())
    return schema
