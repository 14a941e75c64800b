"""Reading ahead in a thread, for replays.

Decoding stored events is Python work, and so is folding them; writing the rows is
mostly the database's. Reading the next batch while the database writes the last one
keeps both busy: a replay runs faster by about the database's share of the time.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Sized
from typing import Generic, TypeVar

T = TypeVar("T", bound=Sized)


class ReadAhead(Generic[T]):
    """Calls ``read`` in a background thread, up to ``depth`` batches ahead of ``next``:
    a source read to its end, batch after batch (``LogSource.read``). The reader stops at
    the first empty batch (the source's end, for now) and starts again at the next
    ``next`` after it."""

    def __init__(self, read: Callable[[], T], depth: int = 2) -> None:
        self.read = read
        self._batches: queue.Queue[T | BaseException] = queue.Queue(maxsize=depth)
        self._reader: threading.Thread | None = None
        self._stopping = threading.Event()

    def _read(self) -> None:
        try:
            while not self._stopping.is_set():
                batch = self.read()
                self._batches.put(batch)
                if not len(batch):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            self._batches.put(error)

    def next(self) -> T:
        if self._reader is None:
            self._stopping.clear()
            self._reader = threading.Thread(target=self._read, name="replay-read-ahead",
                                            daemon=True)
            self._reader.start()
        item = self._batches.get()
        if isinstance(item, BaseException):
            self.stop()
            raise item
        if not len(item):
            self.stop()
        return item

    def stop(self) -> None:
        """Stop the reader. Nothing is lost once it reached the end; stopped before, what it
        read ahead is dropped and the source it reads is past it, so only a consumer that
        gives up (an abandoned replay) stops it early."""
        reader, self._reader = self._reader, None
        if reader is None:
            return
        self._stopping.set()
        while reader.is_alive():
            with contextlib.suppress(queue.Empty):  # make room, so it sees the flag
                self._batches.get(timeout=0.05)
        reader.join()
        while not self._batches.empty():
            self._batches.get_nowait()
        self._stopping.clear()
