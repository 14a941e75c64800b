"""The intake's per-mail work in worker processes beside the SMTP server.

The SMTP server (the protocol, the RCPT checks) is asyncio in one process. Taking a mail
in (``MailIntake.take_in``: MIME, sender checks, blob, event, commit) is most of a mail's
CPU and holds the GIL: in the server's process the intake runs on one core however many
the machine has. Here it runs in a few child processes (``LUCY_INTAKE_PROCESSES``), each
with its own services built from the same settings through ``bootstrap``; the server
hands each mail (envelope and bytes) to an idle child and answers what the child says.

- The children are spawned, never forked: they inherit no connections and no threads.
- The reply is the child's, sent after its commit: 250 only once the mail is kept. A
  child that cannot open the stores answers 451 (and tries again on its next mail); one
  that dies, before or during a mail, is answered for with 451 and replaced on the spot.
  The sender keeps a mail answered 451 and tries again, so nothing answered 250 is lost.
- A child waits on its socket whenever it is idle, so when the server goes away, however
  it dies (SIGKILL included), the child sees the end of the stream and exits. It ignores
  SIGINT, which a terminal sends the whole process group: the server stops and closes the
  sockets, and a mail in a child's hands is finished before the child sees the end.
  SIGTERM ends a child at once (a service manager's stop, multiprocessing's at exit): its
  mail, if any, is answered 451.
- Each child logs its mails' lines (one JSON line per mail) to the stderr it inherited.
- The server's side is asyncio on the server's own event loop (a socket pair per child,
  read and written without blocking): no thread per mail, which on the server's one
  GIL cost more than the hand-over itself (bench/intake.py, docs/benchmarks.md).

``WorkerPool`` is the pool itself, free of mail, so the benchmark's raw durable server
runs its work in the same kind of pool (bench/intake.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import pickle
import signal
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

import structlog

from lucy_events.intake import decisions
from lucy_events.logs import configure_logging

if TYPE_CHECKING:
    from lucy_events.config import Settings
    from lucy_events.intake.mail_intake import ArrivedMail, MailIntake

log = structlog.get_logger()

#: Each message on a worker's socket: its length, then the pickled object.
_HEADER = struct.Struct("!Q")


class WorkerGone(Exception):
    """Raised when a worker process died or broke off before answering."""


class _Worker:
    """One child and our end of its socket pair."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        ours, theirs = socket.socketpair()
        context = multiprocessing.get_context("spawn")
        self.process: BaseProcess = context.Process(
            target=target, args=(theirs, *args), name=name, daemon=True)
        self.process.start()
        theirs.close()  # the child holds the only other end: its death is our end of stream
        self.sock = ours
        self.pid: int = self.process.pid or 0
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        #: Its answer will not be read (its asker was cancelled): not asked again.
        self.out_of_step = False

    async def ask(self, request: Any) -> Any:
        try:
            if self._streams is None:  # on the loop that asks (the server's)
                self._streams = await asyncio.open_connection(sock=self.sock)
            reader, writer = self._streams
            data = pickle.dumps(request, pickle.HIGHEST_PROTOCOL)
            writer.writelines((_HEADER.pack(len(data)), data))
            await writer.drain()
            (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
            return pickle.loads(await reader.readexactly(size))
        except (EOFError, OSError) as error:
            raise WorkerGone(f"worker process {self.pid} is gone "
                             f"(exit code {self.stop(wait=1)})") from error
        except BaseException:  # broken off between request and answer (the server is
            self.out_of_step = True  # stopping): the child finishes what it has
            raise

    def alive(self) -> bool:
        """Running and in step (asked, it answers the request it is asked)."""
        with contextlib.suppress(ValueError):  # closed: not alive
            return (not self.out_of_step and self.sock.fileno() >= 0
                    and self.process.is_alive())
        return False

    def stop(self, wait: float) -> int | None:
        """Close our end (the child's sign to exit), wait up to ``wait`` seconds for it
        (then kill it), and forget it; its exit code."""
        if self._streams is not None:
            with contextlib.suppress(RuntimeError):  # the server's loop is closed already
                self._streams[1].close()
        self.sock.close()
        with contextlib.suppress(ValueError):  # the process is closed already
            self.process.join(wait)
            if self.process.is_alive():  # stuck: nothing it does can be answered now
                self.process.kill()
                self.process.join(5)
            code: int | None = self.process.exitcode
            self.process.close()
            return code
        return None


class WorkerPool:
    """``processes`` children running ``target(sock, *args)`` (``serve_requests``), each
    answering one request at a time. ``ask``, on the event loop of whoever asks, hands a
    request to an idle one (waiting for one) and returns its answer. A child found dead
    is replaced before it is asked; one that dies while asked is replaced, and ``ask``
    raises ``WorkerGone``. A caller cancelled while a child works (the SMTP client went
    away) does not cancel the exchange: the child's answer is read, so the next request
    gets its own."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], processes: int,
                 *, name: str) -> None:
        if processes < 1:
            raise ValueError("a worker pool needs at least one process")
        self.target, self.args, self.processes, self.name = target, args, processes, name
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None  # made on the asking loop
        self._busy = 0
        self._closed = False

    def start(self) -> None:
        self._workers = [_Worker(self.target, self.args, self.name)
                         for _ in range(self.processes)]

    @property
    def pids(self) -> list[int]:
        """The children's process ids (the benchmark reads their CPU time)."""
        return [w.pid for w in self._workers]

    @property
    def busy(self) -> int:
        """How many requests are in the children's hands."""
        return self._busy

    async def ask(self, request: Any) -> Any:
        if self._closed:
            raise WorkerGone("the worker pool is closed")
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        worker = await self._idle.get()
        exchange = asyncio.ensure_future(self._exchange(worker, request))
        exchange.add_done_callback(_seen)  # its failure, if its asker is gone
        return await asyncio.shield(exchange)

    async def _exchange(self, worker: _Worker, request: Any) -> Any:
        assert self._idle is not None
        self._busy += 1
        try:
            if self._closed:  # closed while this request waited for a worker
                raise WorkerGone("the worker pool is closed")
            if not worker.alive():
                log.warning("worker process found dead", worker=self.name, pid=worker.pid,
                            exit_code=worker.stop(wait=0))
                worker = self._replace(worker)
            return await worker.ask(request)
        finally:
            self._busy -= 1
            try:
                if not worker.alive() and not self._closed:
                    worker = self._replace(worker)
            finally:  # a replacement that could not start: found dead again next time
                self._idle.put_nowait(worker)

    def refuse(self) -> None:
        """Take no more requests (``ask`` raises WorkerGone): the pool is closing."""
        self._closed = True

    def close(self, wait: float = 30.0) -> None:
        """Stop every child: each finishes the request in its hands, if any, within
        ``wait`` seconds in all (then it is killed)."""
        self._closed = True
        deadline = time.monotonic() + wait
        for worker in self._workers:
            worker.sock.close()
        for worker in self._workers:
            worker.stop(wait=max(0.0, deadline - time.monotonic()))

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(wait=0)
        fresh = _Worker(self.target, self.args, self.name)  # may raise: then the dead one
        # stays in its place
        self._workers[self._workers.index(worker)] = fresh
        log.info("worker process started", worker=self.name, pid=fresh.pid,
                 replacing=worker.pid)
        return fresh


def _seen(exchange: asyncio.Future[Any]) -> None:
    if not exchange.cancelled():
        exchange.exception()


def serve_requests(sock: socket.socket, answer: Callable[[Any], Any]) -> None:
    """A child's loop: answer each request until the parent closes its end or is gone."""
    with sock, sock.makefile("rb") as reading, contextlib.suppress(OSError):
        while len(header := reading.read(_HEADER.size)) == _HEADER.size:
            (size,) = _HEADER.unpack(header)
            data = reading.read(size)
            if len(data) < size:
                return
            reply = pickle.dumps(answer(pickle.loads(data)), pickle.HIGHEST_PROTOCOL)
            sock.sendall(_HEADER.pack(len(reply)) + reply)


def ignore_group_signals() -> None:
    """Ctrl-C reaches the whole group: the parent stops and closes the socket, which is
    the child's sign to exit once its request is answered."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class IntakeWorkers:
    """``MailIntake.take_in`` in worker processes (the SMTP handler's DATA)."""

    def __init__(self, settings: Settings, processes: int, *,
                 taken: Callable[[], None] = lambda: None) -> None:
        self.pool = WorkerPool(take_in_mails, (settings,), processes,
                               name="lucy-intake-worker")
        #: Called after each mail a worker answered: it may have saved events, which
        #: followers in this process (``serve``'s consumers) are woken up for.
        self.taken = taken

    def start(self) -> None:
        self.pool.start()

    def refuse(self) -> None:
        """Answer any further mail 451 (the server is stopping); the workers finish the
        mails in their hands."""
        self.pool.refuse()

    async def take_in(self, mail: ArrivedMail) -> str:
        """The SMTP reply to the mail's DATA, from a worker process (451 if it failed)."""
        try:
            reply: str = await self.pool.ask(mail)
        except Exception as error:  # gone, or could not be replaced: never a 5xx
            log.error("mail not stored; asked the sender to try again", reason=str(error),
                      mail_size=len(mail.raw), recipients=len(mail.inboxes),
                      client_ip=mail.client_ip)
            return decisions.TRY_AGAIN
        self.taken()
        return reply

    def close(self) -> None:
        self.pool.close()


def take_in_mails(sock: socket.socket, settings: Settings) -> None:
    """A worker process: take in each mail it is handed with services of its own."""
    ignore_group_signals()
    configure_logging(settings.log_format)
    opened = _open(settings)

    def take_in(mail: ArrivedMail) -> str:
        nonlocal opened
        if opened is None:
            opened = _open(settings)
            if opened is None:
                log.warning("mail not stored; asked the sender to try again",
                            mail_size=len(mail.raw), recipients=len(mail.inboxes),
                            client_ip=mail.client_ip)
                return decisions.TRY_AGAIN
        try:
            return opened[1].take_in(mail)
        except Exception:  # a bug the intake did not catch: 451, and the worker lives on
            log.exception("mail not stored; asked the sender to try again",
                          mail_size=len(mail.raw), client_ip=mail.client_ip)
            return decisions.TRY_AGAIN

    try:
        serve_requests(sock, take_in)
    finally:
        if opened is not None:
            opened[0].close()


def _open(settings: Settings) -> tuple[Any, MailIntake] | None:
    """The worker's services and intake, or None (logged) when the stores cannot be
    opened now. One thread: one event store connection on PostgreSQL, where the server's
    process keeps five (a worker held 8 connections in all with five, 4 with one)."""
    from lucy_events.bootstrap import bootstrap

    services = None
    try:
        services = bootstrap(replace(settings, database_pool_size=1))
        return services, services.mail_intake()
    except Exception:
        log.exception("the intake worker cannot open the stores")
        if services is not None:
            with contextlib.suppress(Exception):
                services.close()
        return None
