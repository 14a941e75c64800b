"""The one module that owns Avro: the schemas of ``schemas/`` and the Confluent framing.

A value on the bus is: magic byte 0, the writer schema's id (4 bytes, big-endian), then
the Avro body. Readers decode with the writer schema named by the id and resolve into
the latest schema of the event type, so events written with an older schema still read.
"""

from __future__ import annotations

import io
import json
import struct
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import fastavro

from lucy_events.bus.avro_reader import QuickReader, quick_reader
from lucy_events.bus.avro_writer import QuickWriter, quick_writer
from lucy_events.bus.event_reader import QuickEventReader, quick_event_reader
from lucy_events.bus.records import BusEvent, from_primitives
from lucy_events.config import environment_value

MAGIC = 0
_HEADER = struct.Struct(">bI")
ENVELOPE = "lucy.events.Envelope"


class UndecodableMessage(Exception):
    """Raised when a value is not a lucy-events Avro message; keeps the bytes and cause."""

    def __init__(self, message: str, payload: bytes) -> None:
        super().__init__(message)
        self.payload = payload


def schemas_dir() -> Path:
    return Path(environment_value("LUCY_SCHEMAS_DIR") or Path(__file__).parent.parent / "schemas")


@dataclass(frozen=True)
class RegisteredSchema:
    id: int
    subject: str
    version: int
    topic: str
    schema: dict[str, Any]

    @property
    def event_type(self) -> str:
        return self.subject.rsplit(".", 1)[1]


class SchemaRegistryFile:
    """``schemas/registry.json`` and the files it names, with the envelope expanded
    in place so each schema stands alone (as a Schema Registry stores it)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or schemas_dir()
        index = json.loads((self.directory / "registry.json").read_text())
        envelope = self._json(index["envelope"])
        self.schemas = [
            RegisteredSchema(
                entry["id"], entry["subject"], entry["version"], entry["topic"],
                _expand(self._json(entry["file"]), envelope),
            )
            for entry in index["schemas"]
        ]

    def _json(self, name: str) -> dict[str, Any]:
        return dict(json.loads((self.directory / name).read_text()))

    def latest(self) -> dict[str, RegisteredSchema]:
        latest: dict[str, RegisteredSchema] = {}
        for registered in sorted(self.schemas, key=lambda s: s.version):
            latest[registered.event_type] = registered
        return latest


def _without_logical_types(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_logical_types(v) for k, v in schema.items() if k != "logicalType"}
    if isinstance(schema, list):
        return [_without_logical_types(v) for v in schema]
    return schema


def _expand(schema: dict[str, Any], envelope: dict[str, Any]) -> dict[str, Any]:
    schema = deepcopy(schema)
    for field in schema["fields"]:
        if field["type"] == ENVELOPE:
            field["type"] = envelope
    return schema


class AvroCodec:
    def __init__(self, registry: SchemaRegistryFile | None = None) -> None:
        self.registry = registry or SchemaRegistryFile()
        self._latest = self.registry.latest()

    @cached_property
    def _writers(self) -> dict[int, Any]:
        return {s.id: fastavro.parse_schema(s.schema) for s in self.registry.schemas}

    @cached_property
    def _readers(self) -> dict[str, tuple[int, Any]]:
        return {t: (s.id, self._writers[s.id]) for t, s in self._latest.items()}

    @cached_property
    def _primitive_writers(self) -> dict[int, Any]:
        """The same schemas without logical types: they read uuids as strings and times
        as numbers, which ``from_primitives`` converts only where a field needs it
        (fastavro's conversions cost more than the rest of decoding)."""
        return {s.id: fastavro.parse_schema(_without_logical_types(s.schema))
                for s in self.registry.schemas}

    @cached_property
    def _types_by_id(self) -> dict[int, str]:
        return {s.id: s.event_type for s in self.registry.schemas}

    def schema_id(self, event_type: str) -> int:
        return self._latest[event_type].id

    def encode(self, event: BusEvent) -> bytes:
        return self.encode_record(event.type, event.to_record())

    @cached_property
    def _quick_writers(self) -> dict[str, QuickWriter | None]:
        """Per event type, the quick writer of its latest schema (``avro_writer``), or None
        when its schema's shape is not plain."""
        return {t: quick_writer(s.schema, _HEADER.pack(MAGIC, s.id))
                for t, s in self._latest.items()}

    def encode_record(self, event_type: str, record: dict[str, Any]) -> bytes:
        """Encode an Avro record of the event type's latest schema (objects or the
        primitives of its logical types) in the Confluent framing: by its quick writer,
        or by fastavro when it has none or it refused the record (fastavro then writes
        the same bytes or raises its own error)."""
        quick = self._quick_writers.get(event_type)
        if quick is not None:
            try:
                return quick(record)
            except Exception:  # fastavro writes it, or says what is wrong with it
                pass
        schema_id, parsed = self._readers[event_type]
        buffer = io.BytesIO()
        buffer.write(_HEADER.pack(MAGIC, schema_id))
        fastavro.schemaless_writer(buffer, parsed, record)
        return buffer.getvalue()

    @cached_property
    def _decoding(self) -> dict[int, tuple[str, Any, Any, QuickEventReader | None]]:
        """Per writer schema id, all ``decode`` needs, found with one look-up: the event
        type, the writer schema without logical types, the reader schema (None when the
        writer is the latest), and the writer's quick event reader (``event_reader``)
        when it is the latest and of plain shape."""
        found = {}
        for schema_id, event_type in self._types_by_id.items():
            reader_id, _ = self._readers[event_type]
            latest = reader_id == schema_id
            found[schema_id] = (
                event_type, self._primitive_writers[schema_id],
                None if latest else self._primitive_writers[reader_id],
                quick_event_reader(_without_logical_types(self._latest[event_type].schema),
                                   _HEADER.size, event_type) if latest else None)
        return found

    @cached_property
    def quick_readers(self) -> dict[int, QuickReader]:
        """Per writer schema id that ``decode`` reads with a quick event reader, the quick
        reader of the same schema into fastavro's record (``avro_reader``): the same
        reading, without the event. What a raw loop decoding by the codec's path reads
        with (bench/consume.py)."""
        found: dict[int, QuickReader] = {}
        for schema_id, (event_type, _, _, quick) in self._decoding.items():
            reader = quick_reader(_without_logical_types(self._latest[event_type].schema),
                                  _HEADER.size) if quick is not None else None
            if reader is not None:
                found[schema_id] = reader
        return found

    def decode(self, value: bytes) -> BusEvent:
        if not value or len(value) < _HEADER.size:
            raise UndecodableMessage("too short for the Confluent wire format", value or b"")
        magic, schema_id = _HEADER.unpack_from(value)
        if magic != MAGIC:
            raise UndecodableMessage(f"magic byte {magic} is not 0", value)
        found = self._decoding.get(schema_id)
        if found is None:
            raise UndecodableMessage(f"unknown schema id {schema_id}", value)
        event_type, writer, reader, quick = found
        if quick is not None:
            try:
                return quick(value)
            except Exception:  # fastavro and from_primitives read it, or say why not
                pass
        try:
            record: Any = fastavro.schemaless_reader(
                io.BytesIO(value[_HEADER.size:]), writer, reader)
            return from_primitives(record)
        except Exception as error:  # any decoding failure: keep the bytes and the cause
            raise UndecodableMessage(
                f"schema {schema_id} ({event_type}) cannot read it: {error}", value
            ) from error
