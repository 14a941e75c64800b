"""The replay's read-ahead: the same batches, in order, read in a background thread."""

from __future__ import annotations

import pytest

from lucy_events.bus.runtime import Batch, Position, Source, Undecodable
from lucy_events.projections.prefetch import ReadAhead


class ListSource(Source):
    def __init__(self, batches: list[Batch]) -> None:
        self.batches = batches
        self.committed: list[Batch] = []

    def poll(self, max_records: int, timeout: float) -> Batch:
        return self.batches.pop(0) if self.batches else Batch()

    def commit(self, batch: Batch) -> None:
        self.committed.append(batch)


def batch(offset: int) -> Batch:
    return Batch(undecodable=[Undecodable(Position("log", 0, offset), b"", "x")])


def test_batches_come_in_order_up_to_the_end_and_again_after_it():
    source = ListSource([batch(1), batch(2), batch(3)])
    ahead = ReadAhead(source, max_records=10)
    offsets = []
    while polled := ahead.poll(10, 0):
        offsets.append(polled.undecodable[0].position.offset)
        ahead.commit(polled)
    assert offsets == [1, 2, 3] and len(source.committed) == 3
    source.batches.append(batch(4))  # more arrived: the next poll reads on
    assert ahead.poll(10, 0).undecodable[0].position.offset == 4


def test_a_failing_source_fails_the_consumer_that_polls():
    class Broken(ListSource):
        def poll(self, max_records: int, timeout: float) -> Batch:
            raise ConnectionError("database went away")

    ahead = ReadAhead(Broken([]), max_records=10)
    with pytest.raises(ConnectionError):
        ahead.poll(10, 0)


def test_stopping_early_ends_the_reader_even_when_its_queue_is_full():
    ahead = ReadAhead(ListSource([batch(n) for n in range(1, 50)]), max_records=10, depth=1)
    assert ahead.poll(10, 0)
    ahead.stop()
    assert ahead._reader is None
