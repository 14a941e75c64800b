"""One link of the hash chain: what it covers, and the hash it gives. Pure: no I/O.

Each stored event's link is ``sha256(previous link || notification id || originator id ||
originator version || topic length || topic || state)``: the event's stored bytes and its
place in the global order, chained to everything before it. Integers are big-endian,
8 bytes for the ids and the version, 4 for the topic's length; the originator id is the
UUID's 16 bytes. PostgreSQL computes the same link inside the insert (``int8send``,
``uuid_send``, ``int4send``, ``sha256``), so either side can check the other.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import NamedTuple

#: The link before the first event.
GENESIS = bytes(32)
_HEAD = struct.Struct(">q16sqi")


def link(previous: bytes, notification_id: int, originator_id: bytes, version: int,
         topic: str, state: bytes) -> bytes:
    """``originator_id``: the UUID's 16 bytes."""
    topic_bytes = topic.encode()
    return hashlib.sha256(
        previous + _HEAD.pack(notification_id, originator_id, version, len(topic_bytes))
        + topic_bytes + state
    ).digest()


class StoredRow(NamedTuple):
    """An event as the store holds it, with its place in the notification log (a plain
    tuple: verify reads a million of them)."""

    notification_id: int
    originator_id: bytes  # the UUID's 16 bytes
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a position: keep it elsewhere, and a rewritten chain shows."""

    position: int
    hash: bytes

    def __str__(self) -> str:
        return f"{self.position}:{self.hash.hex()}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """``POSITION:HEX`` as ``lucy-events audit checkpoint`` prints it."""
        position, _, digest = text.strip().partition(":")
        try:
            parsed = cls(int(position), bytes.fromhex(digest))
        except ValueError:
            raise ValueError(f"{text!r} is not POSITION:HASH") from None
        if len(parsed.hash) != 32 or parsed.position < 0:
            raise ValueError(f"{text!r} is not POSITION:HASH")
        return parsed
