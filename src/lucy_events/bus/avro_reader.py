"""Quick Avro readers: for a schema of plain shape, a function that reads a value in the
Confluent framing into the same record as fastavro, in less time.

fastavro's reader walks the schema for every value and reads each varint a byte at a
time through the stream's ``read``: 17 µs for a DocumentReceived on the benchmark's
machine, most of the consumer runtime's decoding (docs/benchmarks.md, Consumer runtime,
session 9). A reader generated once per schema reads the bytes by index.

Plain shape, as for the quick writers (``avro_writer``): records (nested too) of strings,
longs, ints, booleans and doubles, and unions of null with one of those; the schemas are
read without their logical types, as ``AvroCodec.decode`` reads them. A quick reader
returns a record only where it reads exactly what fastavro reads: anything else (a
varint longer than a long, a negative or overlong length, a union branch or boolean byte
other than 0 and 1, bytes that end too soon, text that is not UTF-8) raises, and the
caller reads the value with fastavro, which reads it as it always did or raises its own
error. Bytes after the record are left unread, as fastavro leaves them.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from lucy_events.bus.avro_codegen import NotPlain as _NotPlain
from lucy_events.bus.avro_codegen import SourceLines, compiled

QuickReader = Callable[[bytes], dict[str, Any]]


class Unreadable(Exception):
    """A value the quick reader does not read itself (fastavro then does)."""


_PRIMITIVE = ("string", "long", "int", "boolean", "double")


def _varint(data: bytes, p: int) -> tuple[int, int]:
    """The zig-zag varint at ``p`` of more than one byte, and the position after it."""
    n = data[p] & 0x7F
    shift = 7
    while True:
        p += 1
        b = data[p]
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return (n >> 1) ^ -(n & 1), p + 1
        shift += 7
        if shift > 56:  # ten bytes: beyond 63 bits, which fastavro reads its own way
            raise Unreadable("a varint of ten bytes or more")


def _length(data: bytes, p: int) -> tuple[int, int]:
    """A string's length at ``p`` (not a single byte, or negative), and where it ends."""
    n, p = _varint(data, p) if data[p] >= 0x80 else ((data[p] >> 1) ^ -(data[p] & 1), p + 1)
    if n < 0:
        raise Unreadable("negative length")
    return n, p


def _short(data: bytes, p: int) -> None:
    raise Unreadable(f"the value ends at {len(data)}, before {p}")


def _branch(index: int) -> None:
    raise Unreadable(f"union branch byte {index}")


#: Where a quick reader put a record's fields: a local name for each, a mapping of the
#: same kind for each nested record.
Fields = dict[str, "str | Fields"]
#: Given the fields of the top record, the lines that finish the reader (at depth 1), the
#: expression it returns and the names those need; the default returns fastavro's record.
Finish = Callable[[Fields], tuple[list[str], str, dict[str, Any]]]


def record_of(fields: Fields) -> str:
    """The expression of the record (a dict, keys in the schema's order) held in ``fields``."""
    return "{" + ", ".join(
        f"{name!r}: {var if isinstance(var, str) else record_of(var)}"
        for name, var in fields.items()) + "}"


def _as_record(fields: Fields) -> tuple[list[str], str, dict[str, Any]]:
    return [], record_of(fields), {}


def quick_reader(schema: dict[str, Any], offset: int, finish: Finish = _as_record,
                 ) -> Callable[[bytes], Any] | None:
    """The quick reader of a record schema (as given, without logical types, not parsed),
    reading each value from ``offset`` on (after the framing) into what ``finish`` makes
    of its fields (fastavro's record by default); None when its shape is not plain or
    ``finish`` refuses it (raising ``NotPlain``)."""
    try:
        lines = _Lines()
        fields = lines.fields(schema, 1)
        last, result, names = finish(fields)
    except _NotPlain:
        return None
    source = ["def read(data):", f"    p = {offset}", "    end = len(data)", *lines.text,
              *("    " + line for line in last), f"    return {result}"]
    namespace: dict[str, Any] = {
        "_varint": _varint, "_length": _length, "_short": _short, "_branch": _branch,
        "_double": struct.Struct("<d").unpack_from, **names,
    }
    reader: Callable[[bytes], Any] = compiled(
        source, f"<avro reader {schema.get('name')}>", namespace, "read")
    return reader


class _Lines(SourceLines):
    """The body of a quick reader, a statement a line."""

    def fields(self, schema: Any, depth: int) -> Fields:
        """Reads the record's fields into locals; returns where each is."""
        if not isinstance(schema, dict) or schema.get("type") != "record":
            raise _NotPlain(schema)
        found: Fields = {}
        for field in schema["fields"]:
            kind = field["type"]
            if isinstance(kind, dict) and kind.get("type") == "record":
                found[field["name"]] = self.fields(kind, depth)
                continue
            found[field["name"]] = value = self._name()
            self.value(value, kind, depth)
        return found

    def value(self, var: str, schema: Any, depth: int) -> None:
        if isinstance(schema, list):
            if len(schema) != 2 or schema[0] != "null" or isinstance(schema[1], list):
                raise _NotPlain(schema)
            self.add(depth, "b = data[p]")  # an IndexError past the end: fastavro reads it
            self.add(depth, "p += 1")
            self.add(depth, "if b == 0:")
            self.add(depth + 1, f"{var} = None")
            self.add(depth, "else:")
            self.add(depth + 1, "if b != 2:")
            self.add(depth + 2, "_branch(b)")
            self.simple(var, schema[1], depth + 1)
        else:
            self.simple(var, schema, depth)

    def simple(self, var: str, schema: Any, depth: int) -> None:
        if isinstance(schema, dict):
            if set(schema) - {"type", "doc"}:
                raise _NotPlain(schema)
            schema = schema["type"]
        if schema not in _PRIMITIVE:
            raise _NotPlain(schema)
        if schema == "string":
            self.add(depth, "b = data[p]")
            self.add(depth, "if b < 0x80 and not b & 1:")
            self.add(depth + 1, "e = p + 1 + (b >> 1)")
            self.add(depth + 1, "p += 1")
            self.add(depth, "else:")
            self.add(depth + 1, "b, p = _length(data, p)")
            self.add(depth + 1, "e = p + b")
            self.add(depth, "if e > end:")
            self.add(depth + 1, "_short(data, e)")
            self.add(depth, f"{var} = data[p:e].decode()")
            self.add(depth, "p = e")
        elif schema in ("long", "int"):
            self.add(depth, "b = data[p]")
            self.add(depth, "if b < 0x80:")
            self.add(depth + 1, f"{var} = (b >> 1) ^ -(b & 1)")
            self.add(depth + 1, "p += 1")
            self.add(depth, "else:")
            self.add(depth + 1, f"{var}, p = _varint(data, p)")  # an int as fastavro: a long
        elif schema == "boolean":
            self.add(depth, "b = data[p]")
            self.add(depth, "if b > 1:")
            self.add(depth + 1, "_branch(b)")
            self.add(depth, f"{var} = b == 1")
            self.add(depth, "p += 1")
        else:
            self.add(depth, "if p + 8 > end:")
            self.add(depth + 1, "_short(data, p + 8)")
            self.add(depth, f"{var}, = _double(data, p)")
            self.add(depth, "p += 8")
