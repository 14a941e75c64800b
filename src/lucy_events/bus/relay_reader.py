"""The relay's reader in a child process: reading, decoding and Avro-encoding stored events
take the second core, so the relay's own process (bound by kafka-python under the GIL)
only produces.

The child is spawned, never forked, so it inherits no Kafka or database state; it builds
its own application from the relay application's environment. It answers one request at
a time over a pipe (``(after, limit)`` -> a ``Batch``, or a string saying what failed) and
prepares the following batch while the relay produces the one it got. It reads the pipe
whenever it is idle, so when the relay goes away, however it dies (SIGKILL included), the
child sees the end of the pipe and exits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import structlog

from lucy_events.application import LucyApplication
from lucy_events.audit.person_keys import PersonKeys
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.avro import AvroCodec, SchemaRegistryFile
from lucy_events.bus.faults import is_infrastructure_failure
from lucy_events.bus.relay_records import Batch, BatchReader, InlineReader, UnpublishableEvent
from lucy_events.config import Settings
from lucy_events.logs import configure_logging

log = structlog.get_logger()


class ReaderError(Exception):
    """Raised when the relay's reader process fails a read or is gone; the message says
    which and why. ``outage`` is true when the read failed on an infrastructure failure
    (the database is away): the relay then waits it out (``bus.faults``)."""

    def __init__(self, message: str, *, outage: bool = False) -> None:
        super().__init__(message)
        self.outage = outage


@dataclass(frozen=True)
class ReadFailure:
    """The child's answer when a read failed: what, and whether it was an outage."""

    outage: bool
    message: str


class ProcessReader(BatchReader):
    """Reads and encodes in a child process started on the first read."""

    def __init__(self, env: Mapping[str, str], *, schemas: Path | None = None,
                 keys_url: str | None = None) -> None:
        self.env = dict(env)
        self.schemas = schemas
        #: Where the person keys are (``PersonKeys.url``): the child opens sealed personal
        #: fields with them, as the relay's own application does.
        self.keys_url = keys_url
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=serve, args=(theirs, self.env, self.schemas, self.keys_url),
            name="lucy-relay-reader", daemon=True,
        )
        self._process.start()
        theirs.close()  # the child holds the only other end: its death is our end of file
        self._conn = ours
        log.info("relay reader started", pid=self._process.pid)
        return ours

    def read(self, after: int, limit: int) -> Batch:
        conn = self._conn or self._start()
        try:
            conn.send((after, limit))
            reply = conn.recv()
        except (EOFError, OSError) as error:
            code = self._stop(wait=1)
            raise ReaderError(f"the reader process is gone (exit code {code})") from error
        except BaseException:  # interrupted between request and answer: out of step
            self._stop(wait=0)
            raise
        if isinstance(reply, UnpublishableEvent):
            raise reply
        if isinstance(reply, ReadFailure):  # a fresh child next time, so one that could
            self._stop(wait=1)  # not open the store is not asked again
            raise ReaderError(f"reading after notification {after} failed: {reply.message}",
                              outage=reply.outage)
        if not isinstance(reply, Batch) or reply.after != after:
            self._stop(wait=0)
            raise ReaderError(f"the reader answered out of step: {reply!r:.200}")
        return reply

    def close(self) -> None:
        self._stop(wait=10)

    def _stop(self, wait: float) -> int | None:
        """Ask the child to stop (or see it gone), wait for it, and forget it."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            with contextlib.suppress(OSError):  # else it is gone already
                conn.send(None)
            conn.close()
        if process is None:
            return None
        process.join(wait)
        if process.is_alive():  # stuck in a read: it cannot finish anything that matters
            process.terminate()
            process.join(5)
        code: int | None = process.exitcode
        process.close()
        return code


class AdaptiveReader(BatchReader):
    """The child process while there is a backlog, this process while following the head.

    Catching up, the child's second core doubles the relay's rate. Following a live store
    (a few events a wake-up), a round trip through the child, on a machine busy with
    everything else, only adds latency: a read that found fewer than ``following``
    records means the relay has caught up, so the next one is done in-process, until a
    read finds that many again. The first read goes to the child (a relay starting up
    usually has a backlog). Either reader answers any ``after``, so switching is safe.
    """

    def __init__(self, bulk: BatchReader, live: BatchReader, *, following: int = 100) -> None:
        self.bulk, self.live, self.following = bulk, live, following
        self._caught_up = False

    def read(self, after: int, limit: int) -> Batch:
        batch = (self.live if self._caught_up else self.bulk).read(after, limit)
        self._caught_up = len(batch.records) < min(self.following, limit)
        return batch

    def close(self) -> None:
        self.bulk.close()
        self.live.close()


def serve(conn: Connection, env: dict[str, str], schemas: Path | None,
          keys_url: str | None = None) -> None:
    """The child: answer read requests until told to stop or the relay is gone."""
    # Ctrl-C reaches the whole process group: the relay stops, then closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Spawned with the relay's environment, so it logs as the relay's entry point does.
    configure_logging(Settings.from_env().log_format)
    try:
        keys = PersonKeys.at(keys_url) if keys_url else None
        app = LucyApplication(env, blobs=InMemoryBlobStore(), person_keys=keys)
        reader = InlineReader(app, AvroCodec(SchemaRegistryFile(schemas) if schemas else None))
    except Exception as error:
        _answer_with_error(conn, ReadFailure(is_infrastructure_failure(error),
                                             f"cannot open the event store: {error!r}"))
        return
    try:
        with contextlib.suppress(EOFError, OSError):  # the relay is gone
            _serve(conn, reader)
    finally:
        app.close()
        if keys is not None:
            keys.db.close()
        conn.close()


def _serve(conn: Connection, reader: BatchReader) -> None:
    ahead: Batch | None = None  # the batch after the last one answered, read in advance
    while (request := conn.recv()) is not None:
        after, limit = request
        if ahead is not None and ahead.after == after and 0 < len(ahead.records) <= limit:
            batch = ahead  # else nothing was new then, or the relay starts over elsewhere
        else:
            try:
                batch = reader.read(after, limit)
            except UnpublishableEvent as error:
                ahead = None
                conn.send(UnpublishableEvent(str(error)))  # the relay stops with it
                continue
            except Exception as error:
                ahead = None
                conn.send(ReadFailure(is_infrastructure_failure(error), f"{error!r}"))
                continue
        ahead = None
        conn.send(batch)
        if batch.records:
            try:
                ahead = reader.read(batch.last, limit)
            except Exception as error:  # the next request reads again and reports it
                log.warning("reading ahead failed", after=batch.last, error=repr(error))


def _answer_with_error(conn: Connection, message: ReadFailure) -> None:
    with contextlib.suppress(EOFError, OSError):
        while conn.recv() is not None:
            conn.send(message)
