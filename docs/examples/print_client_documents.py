"""Print one client's document events from lucy-events, one line each, oldest first.

Needs nothing but kafka-python, fastavro and a copy of the schemas/ folder of lucy-events:

    pip install kafka-python fastavro
    python print_client_documents.py --bootstrap kafka1:9092 --client 0b6f...-uuid \\
        --schemas ./schemas --group my-integration --timeout 10
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import sys
import time
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import load_schema
from kafka import KafkaConsumer

TOPIC = "lucy.document-events.v1"
HIDDEN = {"envelope", "blob_ref", "sha256"}  # not worth a terminal line


def load_schemas(folder: Path) -> tuple[dict[int, tuple[str, Any]], dict[str, Any]]:
    """Writer schemas by schema id, and the newest schema of each subject (the reader)."""
    index = json.loads((folder / "registry.json").read_text())
    writers: dict[int, tuple[str, Any]] = {}
    readers: dict[str, Any] = {}
    for entry in sorted(index["schemas"], key=lambda e: e["version"]):
        schema = load_schema(str(folder / entry["file"]))  # finds the envelope's own file
        writers[entry["id"]] = (entry["subject"], schema)
        readers[entry["subject"]] = schema  # the highest version comes last
    return writers, readers


def decode(value: bytes, writers: dict[int, tuple[str, Any]], readers: dict[str, Any]) -> Any:
    """Confluent wire format: magic byte 0, schema id (4 bytes, big-endian), Avro body."""
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != 0 or schema_id not in writers:
        raise ValueError(f"not a known lucy-events message (magic {magic}, id {schema_id})")
    subject, writer = writers[schema_id]
    # Decode with the schema it was written with, resolved into the newest one we know.
    return fastavro.schemaless_reader(io.BytesIO(value[5:]), writer, readers[subject])


def describe(event: dict[str, Any]) -> str:
    envelope = event["envelope"]
    details = " ".join(f"{name}={value}" for name, value in event.items()
                       if name not in HIDDEN and value is not None)
    return (f"{envelope['occurred_at'].isoformat(timespec='seconds')} {envelope['type']:<20} "
            f"{envelope['aggregate_id']} {details}").rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default=os.environ.get("LUCY_KAFKA_BOOTSTRAP"),
                        help="host:port[,host:port] (default $LUCY_KAFKA_BOOTSTRAP)")
    parser.add_argument("--client", required=True, help="the client id (a UUID)")
    parser.add_argument("--schemas", type=Path, default=Path("schemas"),
                        help="the schemas/ folder of lucy-events")
    parser.add_argument("--group", default="print-client-documents",
                        help="consumer group: a rerun resumes after what it printed")
    parser.add_argument("--timeout", type=float, default=None,
                        help="stop after this many idle seconds (default: run until Ctrl-C)")
    args = parser.parse_args()
    if not args.bootstrap:
        parser.error("--bootstrap or $LUCY_KAFKA_BOOTSTRAP is needed")
    writers, readers = load_schemas(args.schemas)
    # Kafka brokers accept 6000 ms and up; a test broker may be given less to join faster.
    session_ms = int(os.environ.get("LUCY_KAFKA_SESSION_TIMEOUT_MS", "10000"))
    consumer = KafkaConsumer(
        TOPIC, bootstrap_servers=args.bootstrap.split(","), group_id=args.group,
        enable_auto_commit=False, auto_offset_reset="earliest",
        session_timeout_ms=session_ms, heartbeat_interval_ms=max(session_ms // 6, 100),
    )
    client_key = args.client.encode()  # the record key is the client id
    seen: set[str] = set()  # event ids; a real consumer keeps them with what it writes
    idle_since = time.monotonic()
    try:
        while args.timeout is None or time.monotonic() - idle_since < args.timeout:
            batches = consumer.poll(timeout_ms=500)
            if batches or not consumer.assignment():  # joining the group is not idleness
                idle_since = time.monotonic()
            for record in (record for records in batches.values() for record in records):
                event_id = dict(record.headers).get("event-id", b"").decode()
                if record.key != client_key or event_id in seen:
                    continue  # another client's event, or one delivered again
                try:
                    event = decode(record.value, writers, readers)
                except Exception as error:  # a real consumer parks it and goes on
                    print(f"skipped {record.topic}/{record.partition}@{record.offset}: {error}",
                          file=sys.stderr)
                    continue
                seen.add(event_id)
                print(describe(event), flush=True)
            if batches:
                consumer.commit()  # only after handling: at least once, nothing lost
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
