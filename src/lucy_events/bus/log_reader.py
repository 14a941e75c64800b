"""A replay's reading of the notification log in a child process.

A replay is bound by its Python (docs/benchmarks.md, Read-model rebuild): reading and
decoding the stored events took two fifths of it, the fold the rest, one after the
other under the GIL. Here a spawned child reads the log ahead of the fold, parses each
stored state and turns its envelope into text (``stored_records.stored_envelope``), so
the two run on both cores at once. What crosses the pipe is cheap to take in: one
``marshal`` buffer a batch, each id once as text, and the stored state as it was stored;
the parent makes the BusEvents (``stored_records.envelope_bus_event``), whose payload
is decoded from that state the first time a handler reads it (the dashboard reads it
for a fiftieth of its events). Events only the mapper can read (an older class version,
an encrypted store) cross as stored and are decoded in the parent as ``LogSource`` does.

The child is spawned, never forked, so it inherits no connections; it builds its own
application from the parent's environment and person keys, reads from the source's
cursor to the end of the log, one batch ahead of the parent, and exits after the first
empty batch (or when the parent goes away: it sees the end of the pipe).
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import queue
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import structlog

from lucy_events.bus.faults import is_infrastructure_failure
from lucy_events.bus.log_source import LOG_TOPIC, LogSource
from lucy_events.bus.runtime import Batch, Position, Source, Undecodable, decoded_delivery
from lucy_events.bus.stored_records import Envelopes, envelope_bus_events
from lucy_events.gc_pause import collector_paused

log = structlog.get_logger()
_tuple_new = tuple.__new__
#: Batches received ahead of the fold (some 5 MB each, for 10,000 events).
DEPTH = 2


class ReaderGone(Exception):
    """Raised when the replay's reader process failed or went away; the message says
    why, nothing of the failed batch is committed. ``outage`` is true when the read failed
    on an infrastructure failure (the database is away): the replay waits it out
    (``bus.faults``) and the next poll starts a reader again from the last batch made
    here. Otherwise the replay stops with it: run it again once the cause is fixed."""

    def __init__(self, message: str, *, outage: bool = False) -> None:
        super().__init__(message)
        self.outage = outage


class ProcessReadAhead(Source):
    """Wraps a ``LogSource`` read to its end, batch after batch, as ``ReadAhead`` does,
    with the reading in a child process (started at the first poll, and again at the
    next poll after the end)."""

    #: Whether to read in this process while the child starts (tests turn it off to read
    #: everything through the child).
    read_here_while_starting = True

    def __init__(self, source: LogSource, max_records: int) -> None:
        self.source = source
        self.max_records = max_records
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._reading = False  # whether the child has started reading
        #: What the child sent, received by a thread as it comes (the child reads on
        #: while this process folds and writes), or why nothing more will come.
        self._received: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=DEPTH)
        self._receiver: threading.Thread | None = None

    def _start(self) -> Connection:
        app = self.source.app
        keys_url = app.person_keys.url if app.person_keys is not None else None
        context = _context()
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=serve, name="lucy-replay-reader", daemon=True,
            args=(theirs, dict(app.env), keys_url, self.source.class_topics,
                  self.max_records))
        self._process.start()
        theirs.close()  # the child holds the only other end: its death is our end of file
        self._conn = ours
        return ours

    def poll(self, max_records: int, timeout: float) -> Batch:
        conn = self._conn or self._start()
        if not self._reading:
            if self.read_here_while_starting and not conn.poll():
                # The child is still starting (a second or so: a new interpreter and its
                # imports): read here meanwhile, and hand it the cursor once it is ready.
                batch = self.source.poll(self.max_records, 0)
                if not batch:
                    self.stop()
                return batch
            self._reply(self._receive(conn))  # it is ready
            conn.send_bytes(marshal.dumps(self.source.cursor))
            self._reading = True
            self._receiver = threading.Thread(
                target=self._receive_all, args=(conn,), name="replay-reader-pipe",
                daemon=True)
            self._receiver.start()
        head, envelopes = self._reply(self._received.get())
        nids, states = envelopes[2], envelopes[3]
        events = envelope_bus_events(envelopes, self.source.app.mapper)
        batch = self.source.batch_of(head, len(nids), nids[-1] if nids else None,
                                     self.max_records)
        deliver = batch.deliveries.append
        for nid, state, event in zip(nids, states, events, strict=True):
            position = _tuple_new(Position, (LOG_TOPIC, 0, nid))
            if isinstance(event, Exception):  # as LogSource parks what it cannot read
                batch.undecodable.append(Undecodable(position, state, repr(event)))
            else:
                deliver(decoded_delivery(event, position, state))
        if not batch:
            self.stop()
        return batch

    @staticmethod
    def _receive(conn: Connection) -> bytes | BaseException:
        try:
            return conn.recv_bytes()
        except (EOFError, OSError) as error:
            return error

    def _receive_all(self, conn: Connection) -> None:
        while True:
            received = self._receive(conn)
            self._received.put(received)
            if isinstance(received, BaseException):
                return  # the child has ended (after the last batch, or failing)

    def _reply(self, received: bytes | BaseException) -> Any:
        if isinstance(received, BaseException):
            code = self.stop()
            raise ReaderGone(f"the replay's reader process is gone (exit code {code})") \
                from received
        reply = marshal.loads(received)
        if isinstance(reply, dict):  # what failed, and whether it was an outage
            self.stop()
            raise ReaderGone(f"the replay's reader failed: {reply['error']}",
                             outage=reply["outage"])
        return reply

    def stop(self) -> int | None:
        """Stop the child (it has stopped by itself after the end) and forget it."""
        process, conn, receiver = self._process, self._conn, self._receiver
        self._process = self._conn = self._receiver = None
        self._reading = False
        code: int | None = None
        if process is not None:
            if receiver is None and conn is not None:
                conn.close()  # a child still starting sees the end of the pipe
            process.join(0 if receiver is None else 1)
            if process.is_alive():  # stopped before the end: it is of no more use
                process.terminate()
                process.join(5)
            code = process.exitcode
            process.close()
        while receiver is not None and receiver.is_alive():  # it ends at the end of file
            with contextlib.suppress(queue.Empty):  # making room for it to say so
                self._received.get(timeout=0.05)
        if conn is not None:
            conn.close()
        while not self._received.empty():
            self._received.get_nowait()
        return code

    def commit(self, batch: Batch) -> None:
        self.source.commit(batch)

    def lag(self) -> dict[tuple[str, int], int]:
        return self.source.lag()

    def close(self) -> None:
        self.stop()
        self.source.close()


def _context() -> multiprocessing.context.ForkServerContext:
    """Children forked from a server process that has imported the application once
    (``forkserver``): a spawned child spends a second importing it (more than the
    rest of a rebuild of 10,000 events), for every read model a replay rebuilds. The
    server is itself spawned, so it holds no connections to inherit."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(["lucy_events.application", __name__])
    return context


def serve(conn: Connection, env: dict[str, str], keys_url: str | None,
          class_topics: list[str], limit: int) -> None:
    """The child: once ready, say so, then read the log from the cursor it is sent to
    its end, batch after batch."""
    from lucy_events.application import LucyApplication
    from lucy_events.audit.person_keys import PersonKeys
    from lucy_events.blobs import InMemoryBlobStore
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops, then closes the pipe
    keys = app = None
    try:
        keys = PersonKeys.at(keys_url) if keys_url else None
        app = LucyApplication(env, blobs=InMemoryBlobStore(), person_keys=keys)
        recorder, mapper = app.recorder, app.mapper
        conn.send_bytes(marshal.dumps(None))
        cursor = marshal.loads(conn.recv_bytes())
        with collector_paused():  # as the catch-up: each batch is freed as it goes
            _serve(conn, recorder, mapper, class_topics, cursor, limit)
    except (EOFError, OSError):
        return  # the parent is gone, or stopped reading
    except Exception as error:
        with contextlib.suppress(OSError):
            conn.send_bytes(marshal.dumps({"error": f"{error!r}",
                                           "outage": is_infrastructure_failure(error)}))
    finally:
        if app is not None:
            app.close()
        if keys is not None:
            keys.db.close()
        conn.close()


def _serve(conn: Connection, recorder: Any, mapper: Any, class_topics: list[str],
           cursor: int, limit: int) -> None:
    from lucy_events.bus.stored_records import stored_envelopes

    while True:
        head = recorder.max_notification_id() or 0
        notifications = recorder.select_notifications(
            start=cursor + 1, limit=limit, topics=class_topics)
        envelopes: Envelopes = stored_envelopes(notifications, mapper)
        conn.send_bytes(marshal.dumps((head, envelopes)))  # type: ignore[arg-type]
        if not notifications:
            return
        cursor = notifications[-1].id
