"""When events happen: now, by the wall clock, unless the caller says otherwise.

eventsourcing stamps each new event with its class's ``create_timestamp()``. Lucy's
events take it from here, so a caller that records a past on purpose (the demo firm,
whose history spans weeks) can set the time for the commands it runs in its context.
Nothing else sets it: the service's events are stamped when they happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("lucy_event_clock", default=None)


def event_time() -> datetime:
    """The timestamp for an event recorded now (timezone-aware, UTC)."""
    clock = _clock.get()
    return clock() if clock is not None else datetime.now(UTC)


@contextmanager
def events_stamped_by(clock: Callable[[], datetime]) -> Iterator[None]:
    """Events recorded in this context take their timestamps from ``clock``."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)
