"""Recompute the hash chain from the stored events and find the first broken link.

Three kinds of tampering show: an event whose stored bytes changed (its link no longer
matches), an event deleted (its link remains, its event does not), and an event
inserted behind the store's back (it has no link). A chain recomputed wholesale after a
change shows against a checkpoint kept elsewhere, or one recorded in the store earlier.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Protocol
from uuid import UUID

from lucy_events.audit.links import GENESIS, Checkpoint, StoredRow
from lucy_events.gc_pause import collector_paused

_PAGE = 20_000
#: The link's fixed-size head, as ``links.link`` packs it (split: the topic part is cached).
_IDS = struct.Struct(">q16sq")
_LENGTH = struct.Struct(">i")


class ChainedRecorder(Protocol):
    def chain_events(self, after: int, limit: int) -> list[StoredRow]: ...
    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]: ...
    def chain_head(self) -> Checkpoint | None: ...
    def record_checkpoint(self, checkpoint: Checkpoint) -> None: ...
    def checkpoints(self) -> list[Checkpoint]: ...


class NoChain(Exception):
    """Raised when the store keeps no hash chain (the in-memory store of the tests)."""


def chained(recorder: object) -> ChainedRecorder:
    if not hasattr(recorder, "chain_links"):
        raise NoChain("this event store keeps no hash chain (use PostgreSQL or SQLite)")
    return recorder  # type: ignore[return-value]


@dataclass(frozen=True)
class Break:
    """The first broken link: what is wrong, at which position, with which event."""

    position: int
    problem: str
    originator_id: UUID | None = None
    version: int | None = None
    topic: str | None = None

    def __str__(self) -> str:
        event = (f"event {self.originator_id} version {self.version} ({self.topic})"
                 if self.originator_id else "no event")
        return f"position {self.position}: {self.problem}; {event}"


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: Checkpoint | None
    broken: Break | None
    unchained_before: int = 0


def _paged_events(recorder: ChainedRecorder, after: int) -> Iterator[StoredRow]:
    while page := recorder.chain_events(after, _PAGE):
        yield from page
        after = page[-1].notification_id


def _paged_links(recorder: ChainedRecorder, after: int) -> Iterator[tuple[int, bytes]]:
    while page := recorder.chain_links(after, _PAGE):
        yield from page
        after = page[-1][0]


@collector_paused()
def verify(recorder: ChainedRecorder, start: Checkpoint | None = None,
           kept: Sequence[Checkpoint] = ()) -> Verdict:
    """From ``start`` (trusted: a checkpoint) or from the first event; the chain must pass
    through the recorded checkpoints and those ``kept`` elsewhere. Events older than the
    chain's first link (a store from before the chain) are counted, not judged."""
    after, previous = (start.position, start.hash) if start else (0, GENESIS)
    expected = {c.position: c.hash for c in [*recorder.checkpoints(), *kept]
                if c.position > after}
    links = _paged_links(recorder, after)
    pending = next(links, None)
    checked = unchained = last = 0
    headers: dict[str, bytes] = {}  # topic -> its length and bytes, once each
    for at, originator, version, topic, state in _paged_events(recorder, after):
        if pending is not None and pending[0] < at:
            return Verdict(checked, None, _broken(
                pending[0], "the event of this link was deleted", originator, version, topic))
        if pending is None or pending[0] > at:
            if start is None and checked == 0 and pending is not None:
                unchained += 1  # predates the chain
                continue
            return Verdict(checked, None, _broken(
                at, "this event is not in the chain (inserted outside the store)",
                originator, version, topic))
        tail = headers.get(topic)
        if tail is None:
            encoded = topic.encode()
            tail = headers[topic] = _LENGTH.pack(len(encoded)) + encoded
        previous = sha256(previous + _IDS.pack(at, originator, version) + tail + state
                          ).digest()
        if previous != pending[1]:
            return Verdict(checked, None, _broken(
                at, "this event's stored bytes or its link were changed",
                originator, version, topic))
        if at in expected and expected[at] != previous:
            return Verdict(checked, None, _broken(
                at, "the chain was rewritten since a checkpoint", originator, version, topic))
        checked, last = checked + 1, at
        pending = next(links, None)
    if pending is not None:
        return Verdict(checked, None, Break(pending[0], "the event of this link was deleted"))
    head = Checkpoint(last, previous) if checked else start
    return Verdict(checked, head, None, unchained)


def _broken(position: int, problem: str, originator: bytes, version: int, topic: str
            ) -> Break:
    return Break(position, problem, UUID(bytes=originator), version, topic)


def checkpoint(recorder: ChainedRecorder) -> Checkpoint | None:
    """Record the chain's head as a checkpoint and return it (None: nothing stored yet)."""
    head = recorder.chain_head()
    if head is not None:
        recorder.record_checkpoint(head)
    return head


def head_of(recorder: object) -> Checkpoint | None:
    """The chain's head, or None where the store keeps no chain (in memory)."""
    try:
        return chained(recorder).chain_head()
    except NoChain:
        return None
