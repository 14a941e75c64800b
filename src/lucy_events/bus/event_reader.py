"""Quick event readers: the quick Avro reader of an event type's latest schema
(``avro_reader``) finished into the very ``BusEvent`` that ``records.from_primitives``
makes of its record, in one pass over the bytes.

Reading a value into fastavro's record and then converting it built the envelope's dict
only to take it apart, and looked the type's conversions up again for every event
(docs/benchmarks.md, Consumer runtime, session 10). The reader generated here keeps each
field in a local and fills the event from them, by the same rules: the firm's and
client's ids through ``uuid_of`` (the remembered ones looked up first), the aggregate's
through ``parsed_uuid``, ``occurred_at`` through ``moment_of``, the payload's fields
converted by ``_payload_converters`` of the type, the other payload fields as read, in
the schema's order. An envelope naming another type than the schema's
(whose conversions would be the other type's) is not read here: it raises, and the codec
reads the value with fastavro and ``from_primitives``, as it does any value a quick
reader leaves, or a conversion that fails (which then fails there the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lucy_events.bus.avro_codegen import NotPlain
from lucy_events.bus.avro_reader import Fields, Unreadable, quick_reader, record_of
from lucy_events.bus.records import (
    _UUIDS,
    BusEvent,
    _new,
    _payload_converters,
    _set,
    moment_of,
    parsed_uuid,
    uuid_of,
)

QuickEventReader = Callable[[bytes], BusEvent]
_ENVELOPE = ("event_id", "notification_id", "occurred_at", "firm_id", "client_id",
             "actor", "type", "aggregate_id", "aggregate_version")


def _other_type(found: str) -> None:
    raise Unreadable(f"the envelope names another event type, {found}")


def quick_event_reader(schema: dict[str, Any], offset: int,
                       event_type: str) -> QuickEventReader | None:
    """The quick event reader of ``event_type``'s schema (without logical types, as
    ``quick_reader`` takes it); None when its shape is not plain or its envelope lacks a
    field the event needs."""
    reader: QuickEventReader | None = quick_reader(
        schema, offset, lambda fields: _event_of(fields, event_type))
    return reader


def _event_of(fields: Fields, event_type: str) -> tuple[list[str], str, dict[str, Any]]:
    """The lines that make the event of ``fields`` (as ``from_primitives`` makes it of the
    record), the expression of the event, and the names they use."""
    envelope = fields.get("envelope")
    if not isinstance(envelope, dict) or any(
            not isinstance(envelope.get(name), str) for name in _ENVELOPE):
        raise NotPlain(envelope)
    e: dict[str, str] = {name: str(envelope[name]) for name in _ENVELOPE}
    payload = {name: var for name, var in fields.items() if name != "envelope"}
    lines = [f"if {e['type']} != {event_type!r}:", f"    _other_type({e['type']})"]
    names: dict[str, Any] = {"_other_type": _other_type, "_new": _new, "_set": _set,
                             "_BusEvent": BusEvent, "_UUIDS": _UUIDS, "_uuid_of": uuid_of,
                             "_moment_of": moment_of, "_parsed_uuid": parsed_uuid}
    for number, (name, convert) in enumerate(_payload_converters(event_type)):
        var = payload.get(name)
        if var is None:
            continue  # not in the schema: from_primitives finds nothing to convert
        if not isinstance(var, str):
            raise NotPlain(name)  # a record where the event has an id, time or date
        names[f"_convert{number}"] = convert
        lines += [f"if {var} is not None:", f"    {var} = _convert{number}({var})"]

    def uuid(var: str) -> str:
        return f"(_UUIDS.get({var}) or _uuid_of({var}))"

    lines += ["event = _new(_BusEvent)", "_set(event, '__dict__', {" + ", ".join([
        f"'type': {event_type!r}", f"'event_id': {e['event_id']}",
        f"'notification_id': {e['notification_id']}",
        f"'occurred_at': _moment_of({e['occurred_at']})",
        f"'firm_id': {uuid(e['firm_id'])}",
        f"'client_id': None if {e['client_id']} is None else {uuid(e['client_id'])}",
        f"'actor': {e['actor']}", f"'aggregate_id': _parsed_uuid({e['aggregate_id']})",
        f"'aggregate_version': {e['aggregate_version']}",
        f"'data': {record_of(payload)}"]) + "})"]
    return lines, "event", names
