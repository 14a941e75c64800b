"""Quick Avro writers: for a schema of plain shape, a function that writes a record in
the Confluent framing with the same bytes as fastavro, in half its time.

fastavro's writer walks the schema for every record (each field's type, logical type and
union branch looked up again): 8.7 µs for a DocumentReceived, most of the relay's reader
process's CPU beside reading the rows. A writer generated once per schema does only the
writing: 4.1 µs (docs/benchmarks.md, Relay, session 8).

Plain shape: records (nested too) of strings, longs, ints, booleans and doubles, the
logical types uuid, timestamp-micros and date, and unions of null with one of those.
Schemas with anything else (arrays, maps, enums, other unions) get no quick writer. A
quick writer takes only the exact types it writes (``str``, ``int`` in range, ``bool``,
``float``; the logical types' objects converted by fastavro's own functions first) and
raises on anything else (``Unwritable``; a missing field, the ``KeyError``): the caller
then writes the record with fastavro, which writes it or says what is wrong with it, as
it always did (``AvroCodec.encode_record``). So a record gets fastavro's bytes either
way, or fastavro's error.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from fastavro.write import LOGICAL_WRITERS

from lucy_events.bus.avro_codegen import NotPlain as _NotPlain
from lucy_events.bus.avro_codegen import SourceLines, compiled

QuickWriter = Callable[[dict[str, Any]], bytes]


class Unwritable(Exception):
    """A value the quick writer does not write itself (fastavro then does)."""


_PRIMITIVE = {"string": "str", "long": "int", "int": "int", "boolean": "bool",
              "double": "float"}
_LOGICAL = {("string", "uuid"), ("long", "timestamp-micros"), ("int", "date")}
#: The zig-zag varint of 0..63, one byte each: string lengths are mostly below 64.
_SMALL = [bytes((n << 1,)) for n in range(64)]
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1


def _int(n: int) -> bytes:
    if not _INT_MIN <= n <= _INT_MAX:
        raise Unwritable(f"{n} is out of an int's range")
    return _long(n)


def _long(n: int) -> bytes:
    """A long as Avro writes it: zig-zag, then a varint of 7 bits a byte."""
    if not _LONG_MIN <= n <= _LONG_MAX:
        raise Unwritable(f"{n} is out of a long's range")
    n = (n << 1) ^ (n >> 63)
    if n < 128:
        return bytes((n,))
    out = bytearray()
    while n > 127:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _mismatch(value: Any, expected: str) -> None:
    raise Unwritable(f"{type(value).__name__} where {expected} is written")


def quick_writer(schema: dict[str, Any], header: bytes) -> QuickWriter | None:
    """The quick writer of a record schema (fastavro's schema as given, not parsed),
    each record written after ``header``; None when its shape is not plain."""
    try:
        lines = _Lines()
        lines.record("r", schema, 1)
    except _NotPlain:
        return None
    source = ["def write(r):", f"    out = bytearray({header!r})", *lines.text,
              "    return bytes(out)"]
    namespace: dict[str, Any] = {
        "_SMALL": _SMALL, "_long": _long, "_int": _int, "_double": struct.Struct("<d").pack,
        "_mismatch": _mismatch, "str": str, "int": int, "bool": bool, "float": float,
        **{f"_prepare_{t}_{lt}".replace("-", "_"): LOGICAL_WRITERS[f"{t}-{lt}"]
           for t, lt in _LOGICAL},
    }
    writer: QuickWriter = compiled(source, f"<avro writer {schema.get('name')}>", namespace,
                                   "write")
    return writer


class _Lines(SourceLines):
    """The body of a quick writer, a statement a line."""

    def record(self, var: str, schema: Any, depth: int) -> None:
        if not isinstance(schema, dict) or schema.get("type") != "record":
            raise _NotPlain(schema)
        for field in schema["fields"]:
            value = self._name()
            self.add(depth, f"{value} = {var}[{field['name']!r}]")  # missing: fastavro
            self.value(value, field["type"], depth)

    def value(self, var: str, schema: Any, depth: int) -> None:
        if isinstance(schema, list):
            if len(schema) != 2 or schema[0] != "null" or isinstance(schema[1], list):
                raise _NotPlain(schema)
            self.add(depth, f"if {var} is None:")
            self.add(depth + 1, "out += b'\\x00'")
            self.add(depth, "else:")
            self.add(depth + 1, "out += b'\\x02'")
            self.simple(var, schema[1], depth + 1)
        elif isinstance(schema, dict) and schema.get("type") == "record":
            self.record(var, schema, depth)
        else:
            self.simple(var, schema, depth)

    def simple(self, var: str, schema: Any, depth: int) -> None:
        logical = None
        if isinstance(schema, dict):
            logical = schema.get("logicalType")
            if set(schema) - {"type", "logicalType", "doc"}:
                raise _NotPlain(schema)
            schema = schema["type"]
        if schema not in _PRIMITIVE or (logical and (schema, logical) not in _LOGICAL):
            raise _NotPlain(schema)
        kind = _PRIMITIVE[schema]
        if logical:  # fastavro's own conversion of the objects, the primitives unchanged
            self.add(depth, f"if {var}.__class__ is not {kind}:")
            prepare = f"_prepare_{schema}_{logical}".replace("-", "_")
            self.add(depth + 1, f"{var} = {prepare}({var}, None)")
        self.add(depth, f"if {var}.__class__ is not {kind}:")
        self.add(depth + 1, f"_mismatch({var}, {schema!r})")
        if schema == "string":
            encoded = self._name()
            self.add(depth, f"{encoded} = {var}.encode()")
            self.add(depth, f"out += _SMALL[len({encoded})] if len({encoded}) < 64 "
                            f"else _long(len({encoded}))")
            self.add(depth, f"out += {encoded}")
        elif schema in ("long", "int"):
            self.add(depth, f"out += _{schema}({var})")
        elif schema == "boolean":
            self.add(depth, f"out += b'\\x01' if {var} else b'\\x00'")
        else:
            self.add(depth, f"out += _double({var})")
