"""The cyclic garbage collector paused, or run less often, while many objects that form
no cycles are alive at once.

A client's history of 50,000 entries allocates a few hundred thousand dicts, tuples and
dataclasses that form no cycles and all live until the answer is sent; the collector
passed over the growing heap every 700 allocations and took half to two thirds of the
time (measured: history 3.1-4.4 s with it, 1.3 s without, same run). Reference counting
still frees everything as usual; only the search for cycles waits until the read ends.
A read-model rebuild's catch-up pauses it too: it ends, and frees each batch as it goes.

Process-wide, so the pauses are counted: the collector runs again when the last
overlapping pause ends (concurrent requests in a threaded server), and stays off if
something else had turned it off before.

Where there is no end to wait for (a consumer working through a backlog, batch after
batch, in several threads at once), ``fewer_collections`` keeps the collector on but
runs it every ``SPACED_THRESHOLD`` allocations rather than every 700: a collection
then mostly finds the batches before the current one already freed, instead of carrying
each batch's objects into the older generations, whose full passes over the heap took
a fifth to a quarter of the consumer runtime's CPU (docs/benchmarks.md, Consumer
runtime).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
#: Allocations between two collections of the youngest generation under
#: ``fewer_collections`` (Python's default is 700).
SPACED_THRESHOLD = 10_000
_spacings = 0
_thresholds: tuple[int, ...] = ()


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector runs every ``SPACED_THRESHOLD`` allocations, not more often, until
    the last overlapping use ends; then its thresholds are as they were."""
    global _spacings, _thresholds
    with _lock:
        if _spacings == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(max(_thresholds[0], SPACED_THRESHOLD), *_thresholds[1:])
        _spacings += 1
    try:
        yield
    finally:
        with _lock:
            _spacings -= 1
            if _spacings == 0:
                gc.set_threshold(*_thresholds)
