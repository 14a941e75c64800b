"""A source that reads ahead in a thread, for replays.

Decoding stored events is Python work, and so is folding them; writing the rows is
mostly the database's. Reading the next batch while the database writes the last one
keeps both busy: a replay runs faster by about the database's share of the time.
"""

from __future__ import annotations

import contextlib
import queue
import threading

from lucy_events.bus.runtime import Batch, Source


class ReadAhead(Source):
    """Wraps a source that is read to its end, batch after batch (``LogSource``).

    A background reader polls ahead, up to ``depth`` batches; it stops at the first empty
    batch (the source's end, for now) and starts again at the next poll after it.
    """

    def __init__(self, source: Source, max_records: int, depth: int = 2) -> None:
        self.source = source
        self.max_records = max_records
        self._batches: queue.Queue[Batch | BaseException] = queue.Queue(maxsize=depth)
        self._reader: threading.Thread | None = None
        self._stopping = threading.Event()

    def _read(self) -> None:
        try:
            while not self._stopping.is_set():
                batch = self.source.poll(self.max_records, 0)
                self._batches.put(batch)
                if not batch:
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            self._batches.put(error)

    def poll(self, max_records: int, timeout: float) -> Batch:
        if self._reader is None:
            self._stopping.clear()
            self._reader = threading.Thread(target=self._read, name="replay-read-ahead",
                                            daemon=True)
            self._reader.start()
        item = self._batches.get()
        if isinstance(item, BaseException):
            self.stop()
            raise item
        if not item:
            self.stop()
        return item

    def stop(self) -> None:
        """Stop the reader. Nothing is lost once it reached the end; stopped before, what it
        read ahead is dropped and the wrapped source's cursor is past it, so only a
        consumer that gives up (an abandoned replay) stops it early."""
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

    def commit(self, batch: Batch) -> None:
        self.source.commit(batch)

    def lag(self) -> dict[tuple[str, int], int]:
        return self.source.lag()

    def close(self) -> None:
        self.source.close()
