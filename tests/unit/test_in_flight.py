"""The commit point of each partition while messages finish out of order."""

from __future__ import annotations

from lucy_events.bus.in_flight import InFlight
from lucy_events.bus.runtime import Position


def at(offset: int, partition: int = 0) -> Position:
    return Position("lucy.document-events.v1", partition, offset)


def test_a_partition_is_committed_up_to_just_below_its_lowest_unfinished_message():
    flight = InFlight()
    for offset in (10, 11, 12, 13):
        flight.begin(at(offset))
    flight.finish(at(12))
    flight.finish(at(13))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 9}
    flight.committed(flight.to_commit())
    flight.finish(at(10))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 10}
    flight.finish(at(11))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 13}
    assert len(flight) == 0


def test_a_slow_message_holds_back_only_its_own_partition():
    flight = InFlight()
    flight.begin(at(5, partition=0))  # slow
    flight.begin(at(7, partition=1))
    flight.begin(at(8, partition=1))
    flight.finish(at(7, partition=1))
    flight.finish(at(8, partition=1))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 4,
                                  ("lucy.document-events.v1", 1): 8}


def test_messages_not_for_the_handler_move_the_commit_when_nothing_below_is_open():
    flight = InFlight()
    flight.begin(at(3))
    flight.seen(("lucy.document-events.v1", 0), 4)
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 2}
    flight.finish(at(3))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 4}


def test_a_message_fetched_again_after_a_rebalance_must_finish_twice():
    flight = InFlight()
    flight.begin(at(6))
    flight.begin(at(6))
    flight.finish(at(6))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 5}
    flight.finish(at(6))
    assert flight.to_commit() == {("lucy.document-events.v1", 0): 6}


def test_nothing_is_committed_again_once_committed():
    flight = InFlight()
    flight.begin(at(1))
    flight.finish(at(1))
    flight.committed(flight.to_commit())
    assert flight.to_commit() == {}
