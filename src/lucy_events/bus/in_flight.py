"""How far each partition may be committed while messages are still being worked on.

A consumer that keeps polling while earlier messages are in flight (the router) finishes
them out of order: one client's delivery to a slow package may still run while later
messages of the same partition are done. Kafka commits one offset per partition, meaning
"everything before it is done", so the commit point of a partition is just below its
lowest unfinished message, and a crash redelivers only what was not finished (and
whatever finished after it: the handler's de-duplication makes that harmless).
"""

from __future__ import annotations

from collections import Counter

from lucy_events.bus.runtime import Position

Partition = tuple[str, int]


class InFlight:
    """Offsets begun and not finished, per partition, and the highest offset seen.

    Used from the runtime's thread only. An offset seen twice (a partition given back
    after a rebalance is fetched again from its last commit) counts twice."""

    def __init__(self) -> None:
        self._open: dict[Partition, Counter[int]] = {}
        self._seen: dict[Partition, int] = {}
        self._committed: dict[Partition, int] = {}

    def __len__(self) -> int:
        return sum(sum(offsets.values()) for offsets in self._open.values())

    def seen(self, partition: Partition, offset: int) -> None:
        """Looked at and nothing left to do (not for this handler, or scanned past)."""
        self._seen[partition] = max(self._seen.get(partition, -1), offset)

    def begin(self, position: Position) -> None:
        partition = (position.topic, position.partition)
        self._open.setdefault(partition, Counter())[position.offset] += 1
        self.seen(partition, position.offset)

    def finish(self, position: Position) -> None:
        partition = (position.topic, position.partition)
        offsets = self._open[partition]
        offsets[position.offset] -= 1
        if offsets[position.offset] <= 0:
            del offsets[position.offset]

    def to_commit(self) -> dict[Partition, int]:
        """Per partition, the last offset before which everything is finished, where it
        moved since the last ``committed``."""
        points = {}
        for partition, seen in self._seen.items():
            open_offsets = self._open.get(partition)
            point = min(open_offsets) - 1 if open_offsets else seen
            if point > self._committed.get(partition, -1):
                points[partition] = point
        return points

    def committed(self, points: dict[Partition, int]) -> None:
        self._committed.update(points)
