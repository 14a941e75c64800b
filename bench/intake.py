"""SMTP intake: messages/s, each with one 100 KB PDF, all the way into the event store
(MIME parsed, the PDF stored as a blob with fsync, DocumentReceived committed before the
250), against raw aiosmtpd servers given the same messages, in the same run, with the
same number of concurrent client connections.

``ratio:``, the headline, is like for like (the project's rule for every benchmark: the
same work under the same conditions, same durability): the raw server does the same
durable work before its 250, done raw. It stores each message as it came (written
beside, fsynced, renamed, as the blob store does) and commits one row of an event's
size to the same kind of database (on SQLite its writers take turns on a file lock, as
the event store's do), in as many worker processes as the intake has
(LUCY_INTAKE_PROCESSES, ``--processes``; the same ``WorkerPool``), each with its own
database connection. What the intake does beyond it is its own: the MIME parse, the
sender checks, the domain event (sealing, hash chain), the log line. (It stores a little
less: the 100 KB PDF where raw stores the 140 KB message.)

Also printed, not the headline:
- ``discard_ratio:``, against a raw server that accepts and discards the same messages,
  the baseline issue 9 first named (target 0.5 then). It stores nothing, so it is not
  like for like: the durable work done raw alone reaches about 0.6 of it here.
- ``stock_ratio:``, against stock aiosmtpd discarding. The intake's server reads DATA in
  chunks (``intake/smtp_data.py``), where stock aiosmtpd reads it line by line at three
  times the CPU; so the other raw servers are the intake's own server class
  (``IntakeController``: DATA read in chunks, the same greeting) with their own handler.
- The intake as it runs with no worker processes (in the server's process), outside
  the ratios. Each line says how many processes the server ran on.

CPU per message: the servers run in this process and their worker processes, the
clients in another, and the rounds take turns, so the CPU time of this process and of
the server's worker processes (``/proc/<pid>/stat``) over a round is that server's (plus
the database server's on PostgreSQL, which is not counted). It moves less with the
machine's load than the rates do. Its system part (creating files and directories,
fsync, waking threads, pipes) is printed beside it: it is what moves most when others
use the same disk, and it is not spent holding a GIL.

The production configuration: ``bootstrap`` from settings, filesystem blobs (fsync),
the SQLite event store of the embedded default (``--postgres`` adds a PostgreSQL run).
The sending clients run in a process of their own, so they do not share the servers'
GIL; the servers are measured in interleaved rounds (median), so load on the machine
weighs on all alike.
The intake logs one JSON line per mail to stderr, as in production; the figures go to
stdout.
Usage: python bench/intake.py [--messages 600] [--connections 4] [--rounds 3] [--postgres]
       [--processes N] [2>/dev/null]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import smtplib
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from email.message import EmailMessage
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from common import bench_firm, connect_to, scratch_schema, write_blob
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.intake.smtp_server import IntakeController, smtp_controller
from lucy_events.intake.worker_processes import (
    WorkerPool,
    ignore_group_signals,
    serve_requests,
)
from lucy_events.logs import configure_logging
from lucy_events.projections.inbox_addresses import InboxAddressesProjection
from lucy_events.store.sqlite import WriterTurns

DOMAIN = "inbox.bench"
PDF_SIZE = 100 * 1024


def messages(to: str, count: int, offset: int) -> list[bytes]:
    """``count`` mails, each with its own 100 KB PDF (distinct bytes: each is a blob
    really written, not one found already stored)."""
    found = []
    for n in range(offset, offset + count):
        head = f"%PDF-1.4\n% bench invoice {n}\n".encode()
        pdf = head + os.urandom(PDF_SIZE - len(head) - 6) + b"\n%%EOF"
        message = EmailMessage()
        message["From"] = "ap@supplier.example"
        message["To"] = to
        message["Subject"] = f"Invoice {n}"
        message["Message-ID"] = f"<bench-{n}@supplier.example>"
        message.set_content("Our invoice is attached.\n")
        message.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=f"invoice-{n}.pdf")
        found.append(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    return found


def _send_share(port: int, to: str, share: list[bytes], failures: Any) -> None:
    with smtplib.SMTP("127.0.0.1", port, local_hostname="mx.supplier.example",
                      timeout=60) as smtp:
        for raw in share:
            try:
                smtp.sendmail("ap@supplier.example", [to], raw)
            except smtplib.SMTPException:
                with failures.get_lock():
                    failures.value += 1


def _client(port: int, to: str, batch: list[bytes], connections: int, started: Any,
            elapsed: Any, failures: Any) -> None:
    shares = [batch[i::connections] for i in range(connections)]
    threads = [threading.Thread(target=_send_share, args=(port, to, s, failures))
               for s in shares]
    started.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed.value = time.perf_counter() - begin


def send(port: int, to: str, batch: list[bytes], connections: int) -> float:
    """Messages/s for ``batch`` sent over ``connections`` connections from another process."""
    context = multiprocessing.get_context("fork")
    started, elapsed = context.Event(), context.Value("d", 0.0)
    failures = context.Value("i", 0)
    process = context.Process(target=_client, args=(port, to, batch, connections, started,
                                                    elapsed, failures))
    process.start()
    started.set()
    process.join()
    if failures.value:
        raise SystemExit(f"{failures.value} messages were refused on port {port}")
    return len(batch) / elapsed.value


class Discard:
    """The raw baseline: aiosmtpd accepting every recipient and dropping the data."""

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return "250 OK"


#: About the size of a stored DocumentReceived (what the durable baseline commits).
ROW = os.urandom(900)


class DurableStore:
    """The raw baseline with durable work: storing each message as it came
    (``write_blob``: hash, write beside, fsync, rename) and committing one row to a
    database like the intake's (``store``)."""

    def __init__(self, blob_dir: Path, database_url: str | None, *,
                 create: bool = False) -> None:
        self.blob_dir = str(blob_dir)
        self.lock = threading.Lock()  # one writer at a time, as the event store takes
        self.insert: Callable[[bytes], None]
        if database_url:
            conn = connect_to(database_url)
            if create:
                conn.execute("CREATE TABLE raw_mail (id bigserial PRIMARY KEY, state bytea)")
            self.insert = lambda state: conn.execute(
                "INSERT INTO raw_mail (state) VALUES (%s)", (state,), prepare=True)
        else:  # the event store's SQLite settings: a file, WAL, default synchronous
            db = sqlite3.connect(str(blob_dir / "raw.sqlite"), isolation_level=None,
                                 check_same_thread=False, timeout=10)
            if create:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE raw_mail (id INTEGER PRIMARY KEY, state BLOB)")

            # The worker processes take turns on a file lock beside the database, as the
            # event store's writers do (``WriterTurns``): without it a writer that finds
            # the database locked sleeps in SQLite's busy handler (1 to 10 ms).
            turns = WriterTurns(f"{blob_dir / 'raw.sqlite'}.write.lock")

            def insert(state: bytes) -> None:
                with turns:
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("INSERT INTO raw_mail (state) VALUES (?)", (state,))
                    db.execute("COMMIT")
            self.insert = insert

    def store(self, content: bytes) -> str:
        write_blob(self.blob_dir, content)
        with self.lock:
            self.insert(ROW)
        return "250 OK"


def store_durably(conn: Any, blob_dir: Path, database_url: str | None) -> None:
    """A worker process of the durable raw server: each message handed to it stored."""
    ignore_group_signals()
    serve_requests(conn, DurableStore(blob_dir, database_url).store)


class DurableServer:
    """aiosmtpd doing ``DurableStore``'s work before answering 250: in a worker thread,
    or handed to a pool of worker processes (as the intake hands its mails)."""

    def __init__(self, blob_dir: Path, database_url: str | None, processes: int) -> None:
        blob_dir.mkdir(parents=True, exist_ok=True)
        here = DurableStore(blob_dir, database_url, create=True)
        self.pool = (WorkerPool(store_durably, (blob_dir, database_url), processes,
                                name="bench-durable-worker") if processes else None)
        self.here = here

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if self.pool is not None:
            reply: str = await self.pool.ask(content)
            return reply
        return await asyncio.get_running_loop().run_in_executor(None, self.here.store,
                                                                 content)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def intake_services(data_dir: Path, database_url: str | None, processes: int
                    ) -> tuple[Services, str]:
    env = {"LUCY_DATA_DIR": str(data_dir), "LUCY_INBOX_DOMAIN": DOMAIN,
           "LUCY_SMTP_PORT": str(free_port()), "LUCY_LOG_FORMAT": "json",
           "LUCY_INTAKE_PROCESSES": str(processes)}
    if database_url:
        env["LUCY_DATABASE_URL"] = database_url
    services = bootstrap(Settings.from_env(env))
    _firm_id, [client_id] = bench_firm(services.app, 1)
    # The address read model, as `project` or `serve` keeps it; stopped before measuring.
    consumers = services.consumer_runner([InboxAddressesProjection(services.read_db)],
                                         poll_timeout=0.05)
    consumers.start()
    local_part = services.app.client_for_operator(client_id).inbox_local_part
    address, intake = f"{local_part}@{DOMAIN}", services.mail_intake()
    while intake.inbox(address) is None:
        time.sleep(0.02)
    consumers.stop()
    return services, address


SERVERS = ("stock", "raw", "durable", "intake", "in-process")

_TICK = os.sysconf("SC_CLK_TCK")


def process_times(pids: list[int]) -> tuple[float, float]:
    """User and system seconds of these processes (``/proc/<pid>/stat``)."""
    user = system = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        user += int(fields[11]) / _TICK
        system += int(fields[12]) / _TICK
    return user, system


def worker_pids(server: Controller) -> list[int]:
    """The server's worker processes."""
    pool = (server.workers.pool if isinstance(server, IntakeController) and server.workers
            else getattr(server.handler, "pool", None))
    return pool.pids if pool is not None else []


def measure(database_url: str | None, args: argparse.Namespace
            ) -> tuple[dict[str, tuple[float, float, float]], int, dict[str, int]]:
    """Per server: (median messages/s, median ms of CPU per message of this process and
    the server's worker processes, the median of its system part); how many events the
    store holds; how many processes each server ran on."""
    with tempfile.TemporaryDirectory() as data_dir, ExitStack() as stack:
        services, address = intake_services(Path(data_dir), database_url, args.processes)
        stack.callback(services.close)
        size_limit = services.settings.max_upload_bytes
        durable = DurableServer(Path(data_dir) / "raw", database_url, args.processes)
        if durable.pool is not None:
            durable.pool.start()
            stack.callback(durable.pool.close)
        servers = {
            "stock": Controller(Discard(), hostname="127.0.0.1", port=free_port(),
                                data_size_limit=size_limit, decode_data=False),
            "raw": IntakeController(Discard(), greeting_name=DOMAIN, hostname="127.0.0.1",
                                    port=free_port(), data_size_limit=size_limit,
                                    decode_data=False),
            "durable": IntakeController(durable, greeting_name=DOMAIN, hostname="127.0.0.1",
                                        port=free_port(), data_size_limit=size_limit,
                                        decode_data=False),
            "intake": services.smtp_server(),
            "in-process": smtp_controller(services.mail_intake(), host="127.0.0.1",
                                          port=free_port(), size_limit=size_limit),
        }
        for server in servers.values():
            server.start()
            stack.callback(server.stop)
        per_round = args.messages // args.rounds
        warm = messages(address, 2 * args.connections, 0)
        for server in servers.values():
            send(server.port, address, warm, args.connections)
        rates: dict[str, list[float]] = {name: [] for name in SERVERS}
        cpu: dict[str, list[float]] = {name: [] for name in SERVERS}
        system: dict[str, list[float]] = {name: [] for name in SERVERS}
        for n in range(args.rounds):
            batch = messages(address, per_round, (n + 1) * per_round)
            # Its own PDFs: the intake's blobs of ``batch`` are in the same store already.
            other = messages(address, per_round, (n + 1) * per_round)
            for name in SERVERS:
                pids = worker_pids(servers[name])
                started, started_workers = os.times(), process_times(pids)
                rates[name].append(send(servers[name].port, address,
                                        other if name == "in-process" else batch,
                                        args.connections))
                ended, ended_workers = os.times(), process_times(pids)
                user = (ended.user - started.user + ended_workers[0] - started_workers[0])
                sys_ = (ended.system - started.system + ended_workers[1]
                        - started_workers[1])
                cpu[name].append(1000 * (user + sys_) / per_round)
                system[name].append(1000 * sys_ / per_round)
        stored = services.app.recorder.max_notification_id() or 0
        processes = {name: 1 + len(worker_pids(servers[name])) for name in SERVERS}
        return ({name: (statistics.median(rates[name]), statistics.median(cpu[name]),
                        statistics.median(system[name])) for name in SERVERS}, stored,
                processes)


def report(found: dict[str, tuple[float, float, float]], store: str,
           processes: dict[str, int]) -> None:
    labels = {"stock": "stock aiosmtpd (accept, discard):",
              "raw": "raw aiosmtpd, DATA in chunks (accept, discard):",
              "durable": "raw, DATA in chunks + fsynced file + committed row:",
              "intake": f"intake, {store} + fsynced blobs:",
              "in-process": "the same intake in the server's process:"}
    for name in SERVERS:
        rate, cpu, system = found[name]
        print(f"{labels[name]:52s} {processes[name]} proc {rate:7.1f} messages/s  "
              f"{cpu:5.2f} ms CPU/message ({system:.2f} system)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true",
                        help="also measure on PostgreSQL (LUCY_BENCH_DATABASE_URL)")
    parser.add_argument("--processes", type=int, default=Settings.from_env().intake_processes,
                        help="the intake's worker processes (LUCY_INTAKE_PROCESSES), and "
                             "the durable server's")
    args = parser.parse_args()
    configure_logging("json")
    print(f"SMTP intake: {args.messages} messages of one {PDF_SIZE // 1024} KB PDF per server, "
          f"{args.connections} connections, {args.rounds} interleaved rounds (median)",
          flush=True)
    if args.postgres:
        with scratch_schema("bench_intake") as url:
            found, _, processes = measure(url, args)
        report(found, "PostgreSQL", processes)
        print(f"PostgreSQL: ratio {found['intake'][0] / found['durable'][0]:.2f} (like for "
              f"like), discard_ratio {found['intake'][0] / found['raw'][0]:.2f}, "
              f"stock_ratio {found['intake'][0] / found['stock'][0]:.2f}")
    found, stored, processes = measure(None, args)
    report(found, "SQLite", processes)
    print(f"({stored} events stored)")
    print(f"discard_ratio: {found['intake'][0] / found['raw'][0]:.2f}  (against the "
          "discarding server, which stores nothing; not like for like)")
    print(f"stock_ratio: {found['intake'][0] / found['stock'][0]:.2f}  (against stock "
          "aiosmtpd, which reads DATA line by line; not like for like)")
    print(f"ratio: {found['intake'][0] / found['durable'][0]:.2f}  (against the same "
          "durable work done raw: like for like)")


if __name__ == "__main__":
    main()
