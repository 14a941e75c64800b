"""The replay's read-ahead: the same batches, in order, read in a background thread."""

from __future__ import annotations

import pytest

from lucy_events.bus.runtime import Batch, Position, Undecodable
from lucy_events.projections.prefetch import ReadAhead


class ListSource:
    def __init__(self, batches: list[Batch]) -> None:
        self.batches = batches

    def read(self) -> Batch:
        return self.batches.pop(0) if self.batches else Batch()


def batch(offset: int) -> Batch:
    return Batch(undecodable=[Undecodable(Position("log", 0, offset), b"", "x")])


def test_batches_come_in_order_up_to_the_end_and_again_after_it():
    source = ListSource([batch(1), batch(2), batch(3)])
    ahead = ReadAhead(source.read)
    offsets = []
    while polled := ahead.next():
        offsets.append(polled.undecodable[0].position.offset)
    assert offsets == [1, 2, 3]
    source.batches.append(batch(4))  # more arrived: the next read reads on
    assert ahead.next().undecodable[0].position.offset == 4


def test_a_failing_source_fails_the_consumer_that_reads():
    class Broken(ListSource):
        def read(self) -> Batch:
            raise ConnectionError("database went away")

    ahead = ReadAhead(Broken([]).read)
    with pytest.raises(ConnectionError):
        ahead.next()


def test_stopping_early_ends_the_reader_even_when_its_queue_is_full():
    ahead = ReadAhead(ListSource([batch(n) for n in range(1, 50)]).read, depth=1)
    assert ahead.next()
    ahead.stop()
    assert ahead._reader is None
