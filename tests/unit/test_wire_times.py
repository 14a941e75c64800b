"""Times and ids read from the wire: quick, and exactly what the slow way gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from lucy_events.bus.records import id_text, moment_of, parsed_uuid, uuid_of

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def test_a_time_in_microseconds_reads_back_exactly_to_the_microsecond():
    rng = random.Random(2026)
    edges = [0, 1, 999_999, 1_000_000, -1, -1_000_001, 1_796_000_000_123_456,
             4_102_444_799_999_999]  # up to the last microsecond of 2099
    for micros in edges + [rng.randrange(-2 * 10**15, 4_102_444_800_000_000)
                           for _ in range(100_000)]:
        assert moment_of(micros) == EPOCH + timedelta(microseconds=micros), micros
    assert moment_of(0).tzinfo is UTC


def test_ids_are_parsed_and_written_as_the_uuid_module_does():
    for _ in range(1000):
        value = uuid4()
        assert uuid_of(str(value)) == value == uuid_of(value.hex)
        assert id_text(value) == str(value) == id_text(UUID(str(value)))


def _parse_as_uuid(parse, text):
    """What ``parse(text)`` gives: the value and its fields, or the error's type."""
    try:
        value = parse(text)
    except (ValueError, TypeError) as error:
        return type(error)
    return value, value.int, value.is_safe, str(value), hash(value)


def test_ids_parsed_the_quick_way_are_what_uuid_gives_or_refuses():
    rng = random.Random(2026)
    texts = []
    for _ in range(2000):
        value = UUID(int=rng.getrandbits(128))
        texts += [str(value), value.hex, str(value).upper(), value.urn, f"{{{value}}}",
                  f"{value.hex[:16]}-{value.hex[16:]}", f" {value.hex[1:]}",
                  value.hex[:31] + "_" + value.hex[31]]
    texts += ["", "-" * 36, "z" * 32, "0" * 31, "0" * 33, "+" + "0" * 31, "0x" + "0" * 30,
              "urn:" + "0" * 28, "{" + "0" * 30 + "}", "\u0660" * 32, "0_" * 16]
    for text in texts:
        assert _parse_as_uuid(parsed_uuid, text) == _parse_as_uuid(UUID, text), text
