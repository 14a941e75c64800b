"""Random Avro records of the event schemas, for the tests of the quick writers and
readers."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

STRINGS = ["", "a", "x" * 63, "x" * 64, "é" * 40, "日本" * 100, "🙂", "line\nbreak"]
LONGS = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, 2**31 - 1, -(2**31),
         2**62, 2**63 - 1, -(2**63), 1_796_000_000_123_456]


def random_value(rng: random.Random, schema: Any) -> Any:
    if isinstance(schema, list):
        return None if rng.random() < 0.3 else random_value(rng, schema[1])
    if isinstance(schema, dict) and schema["type"] == "record":
        return {f["name"]: random_value(rng, f["type"]) for f in schema["fields"]}
    logical = schema.get("logicalType") if isinstance(schema, dict) else None
    kind = schema["type"] if isinstance(schema, dict) else schema
    as_object = rng.random() < 0.5
    if logical == "uuid":
        value = uuid.UUID(int=rng.getrandbits(128))
        return value if as_object else str(value)
    if logical == "timestamp-micros":
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=rng.randrange(-10**15, 10**15))
        return moment if as_object else rng.choice([*LONGS[:-3], rng.getrandbits(52)])
    if logical == "date":
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(-10**5, 10**5))
        return day if as_object else rng.randrange(-10**5, 10**5)
    if kind == "string":
        return rng.choice(STRINGS) if rng.random() < 0.5 else "".join(
            rng.choice("abcé😀 -:/") for _ in range(rng.randrange(0, 200)))
    if kind == "long":
        return rng.choice(LONGS) if rng.random() < 0.5 else rng.randrange(-2**63, 2**63)
    if kind == "int":
        return rng.randrange(-2**31, 2**31)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "double":
        return rng.choice([0.0, -1.5, 1e300, rng.random()])
    raise AssertionError(f"no random value for {schema!r}")
