"""Delivery: the router's throughput and latency, from SendRequested to DocumentSent, on
PostgreSQL + Kafka (tansu) delivering to local SMTP and FTP sinks, with lost and
duplicated documents counted. The baseline is raw smtplib/ftplib doing the same
deliveries to the same sinks with the router's concurrency (its worker threads), each
thread keeping its sessions as the router's workers do, in the same run; its mail is
written by the router's own MIME writer. What raw does not do
(the router's guarantees and bookkeeping) is listed in docs/benchmarks.md.

The relay and the router run as their own processes (``lucy-events relay`` and
``route``), as in a deployment. Documents are received (typed, auto-send off) before
the clock starts, then sent explicitly: the path measured is request send (PostgreSQL)
-> relay -> Kafka -> router -> SMTP or FTP -> DocumentSent (PostgreSQL), the router's
part of any send (auto-send only adds recognition before the same SendRequested).
Latency is the difference of the two events' own timestamps; the burst ends at the
last DocumentSent's own timestamp. The steady load is half the raw baseline's rate (the
median of three bursts) measured first in the same run. The burst is then measured three
times, each router burst right after a raw burst of its own (the relay and route
processes paused meanwhile); ``burst_ratio`` is the median of the three pairs' ratios.
Usage: python bench/delivery.py [--seconds 20] [--burst 400] [--rate R]
"""

from __future__ import annotations

import argparse
import ftplib
import inspect
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import NamedTuple
from uuid import UUID

sys.path.insert(0, os.path.dirname(__file__))
from common import POSTGRES_URL, be_number, connect_to, scratch_schema
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import event_time
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import FilesystemBlobStore
from lucy_events.bus.catalogue import TOPICS
from lucy_events.config import persistence_env
from lucy_events.notifications.rendered import Attachment, render_mail
from lucy_events.routers.integrations.credentials import FileSecretStore
from lucy_events.routers.router import Router
from lucy_events.testing.tansu import TansuBroker
from sinks import FTP_PASSWORD, FTP_USER, Sinks

SETUP = Actor.system("bench")
BIN = Path(sys.executable).parent / "lucy-events"
PDF = b"%PDF-1.4\n" + b"0" * 30_000 + b"\n%%EOF\n"  # a 30 kB invoice
#: The router's worker threads (``Router(workers=...)`` as bootstrap builds it).
WORKERS = int(inspect.signature(Router).parameters["workers"].default)
#: Raw bursts measured before the steady load, whose rate is half their median.
RAW_BURSTS = 3
#: Router bursts, each right after a raw burst of its own; burst_ratio is the median of
#: the pairs' ratios.
BURST_PAIRS = 3


def office(app: LucyApplication, ftp_port: int) -> tuple[UUID, list[UUID]]:
    firm_id = app.register_firm("Bench Firm", SETUP)
    app.configure_portal_integration(firm_id, "ftp", {
        "host": "127.0.0.1", "port": str(ftp_port), "username": FTP_USER, "tls": "false",
        "root": "/", "credentials_ref": "bench-ftp"}, SETUP)
    clients = []
    for n in range(20):
        client_id = app.create_client(
            firm_id, SETUP, name=f"Client {n}", country="BE", enterprise_number=be_number(n),
            address={"street": "Kerkstraat 1", "postal_code": "9000", "city": "Gent",
                     "country": "BE"},
            contact_person={"first_name": "A", "last_name": "B", "email": "a@bench.example"})
        if n % 2:
            app.link_integration(firm_id, client_id, "ftp", SETUP)
        else:
            app.link_integration(firm_id, client_id, "email", SETUP,
                                 {"purchase_address": f"purchase{n}@package.example"})
        app.change_auto_send(firm_id, client_id, False, SETUP)  # sent on request only
        clients.append(client_id)
    return firm_id, clients


def incoming(firm_id: UUID, client_id: UUID, n: int) -> IncomingDocument:
    return IncomingDocument(firm_id, client_id, PDF + str(n).encode(), f"invoice-{n}.pdf",
                            "application/pdf", "email", sender="ap@supplier.example",
                            document_type="purchase-invoice")


def wait_sent(app: LucyApplication, url: str, ids: list[UUID], timeout: float) -> list[UUID]:
    """The documents still not Sent after the timeout. One query a round on the stored
    events: loading every pending aggregate would take the CPU the sinks need."""
    deadline = time.monotonic() + timeout
    pending = set(ids)
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    with connect_to(url) as conn:
        while pending and time.monotonic() < deadline:
            rows = conn.execute(
                f"SELECT originator_id FROM {table} WHERE originator_id = ANY(%s) "
                "AND topic LIKE '%%.DocumentSent'", (list(pending),)).fetchall()
            pending -= {row[0] for row in rows}
            if pending:
                time.sleep(0.2)
    return [d for d in ids if d in pending]


def stamped(app: LucyApplication, document_id: UUID) -> tuple[datetime, datetime | None]:
    """The document's SendRequested and DocumentSent timestamps (None: not sent)."""
    events = {type(e).__name__: e for e in app.events.get(document_id)}
    sent = events.get("DocumentSent")
    return events["SendRequested"].timestamp, sent.timestamp if sent is not None else None


def latency_ms(app: LucyApplication, document_id: UUID) -> float | None:
    """SendRequested -> DocumentSent in milliseconds."""
    requested, sent = stamped(app, document_id)
    return None if sent is None else (sent - requested).total_seconds() * 1000


def received(app: LucyApplication, firm_id: UUID, clients: list[UUID], first: int,
             count: int) -> list[UUID]:
    ids: list[UUID] = []
    for start in range(first, first + count, 500):
        ids += app.receive_documents([incoming(firm_id, clients[n % len(clients)], n)
                                      for n in range(start, min(first + count, start + 500))],
                                     SETUP)
    return ids


def request_steadily(app: LucyApplication, firm_id: UUID, ids: list[UUID], rate: float) -> None:
    """Send requests at ``rate`` a second: every 20 ms the ones due, in one bulk send
    (what the dashboard's bulk send records), so the load generator keeps up."""
    started, sent = time.monotonic(), 0
    while sent < len(ids):
        due = min(len(ids), int((time.monotonic() - started) * rate) + 1)
        if due > sent:
            app.request_bulk_send(firm_id, ids[sent:due], SETUP)
            sent = due
        time.sleep(max(0.0, started + sent / rate - time.monotonic(), 0.02))


class RawClients:
    """smtplib and ftplib doing the router's deliveries on as many threads as it has
    workers, each thread keeping its sessions between deliveries as the router's do
    (``kept_sessions.py``: one FTP session signed in once, one SMTP connection greeted
    once, the EHLO name looked up once), so that the sinks answer the same requests for
    a delivery on both sides: the file into its client's year folder under a temporary
    name then renamed, the mail by the router's own MIME writer. Not done by raw: the
    router's delivery-key question and size check (one SIZE each), see
    docs/benchmarks.md."""

    def __init__(self, smtp_port: int, ftp_port: int, workers: int) -> None:
        self.smtp_port, self.ftp_port = smtp_port, ftp_port
        self.local_hostname = socket.getfqdn()
        self._local = threading.local()
        self._sessions: list[smtplib.SMTP | ftplib.FTP] = []
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="raw")
        with ftplib.FTP() as ftp:  # the year folders (the router makes its own once)
            ftp.connect("127.0.0.1", ftp_port, timeout=10)
            ftp.login(FTP_USER, FTP_PASSWORD)
            for client in range(20):
                ftp.mkd(f"/raw-{client}")
                ftp.mkd(f"/raw-{client}/2026")
        # Every thread opens its sessions now, not in a timed burst (the router's workers
        # have theirs from the warm-up): one task a thread, held until all have started.
        started = threading.Barrier(workers)
        list(self._pool.map(lambda _: (started.wait(), self._ftp(), self._smtp()),
                            range(workers)))

    def rate(self, count: int, first: int = 0) -> float:
        """Documents a second delivering ``count`` documents numbered from ``first``."""
        started = time.perf_counter()
        list(self._pool.map(self.deliver, range(first, first + count)))
        return count / (time.perf_counter() - started)

    def deliver(self, n: int) -> None:
        if n % 2:
            ftp = self._ftp()
            ftp.cwd(f"/raw-{n % 20}/2026")
            ftp.storbinary(f"STOR .raw-{n}.pdf.part", BytesIO(PDF))
            ftp.rename(f".raw-{n}.pdf.part", f"raw-{n}.pdf")
        else:
            mail = render_mail(
                sender="bench@lucy.example", recipient=f"purchase{n}@package.example",
                message_id=f"<raw-{n}@bench>", subject=f"Client {n}: invoice-{n}.pdf",
                text=f"purchase-invoice for Client {n}, received 2026-01-01.\n",
                attachment=Attachment(f"raw-{n}.pdf", "application/pdf", PDF),
                extra_headers={"X-Lucy-Document-Type": "purchase-invoice"})
            self._smtp().sendmail(mail.sender, [mail.recipient], mail.data)

    def _ftp(self) -> ftplib.FTP:
        ftp: ftplib.FTP | None = getattr(self._local, "ftp", None)
        if ftp is None:
            ftp = self._local.ftp = ftplib.FTP()
            ftp.connect("127.0.0.1", self.ftp_port, timeout=10)
            ftp.login(FTP_USER, FTP_PASSWORD)
            self._sessions.append(ftp)
        return ftp

    def _smtp(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is None:
            smtp = self._local.smtp = smtplib.SMTP(
                "127.0.0.1", self.smtp_port, timeout=10, local_hostname=self.local_hostname)
            smtp.ehlo()
            self._sessions.append(smtp)
        return smtp

    def close(self) -> None:
        self._pool.shutdown()
        for session in self._sessions:
            with suppress(OSError, EOFError, smtplib.SMTPException, ftplib.Error):
                session.quit()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time every process of this machine has used, all cores (Linux /proc/stat:
    user, nice, system, irq, softirq, steal; not idle or iowait)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class Pipeline(NamedTuple):
    url: str
    app: LucyApplication
    sinks: Sinks
    firm_id: UUID
    clients: list[UUID]
    #: The environment of the ``lucy-events relay`` and ``route`` processes.
    env: dict[str, str]


@contextmanager
def pipeline(schema: str) -> Iterator[Pipeline]:
    """The delivery pipeline's setup, less its processes: a scratch PostgreSQL schema,
    tansu with the topics, the SMTP and FTP sinks, the application (the filesystem blob
    store the router process reads the contents from), the bench's office, and the
    environment the relay and route processes run with."""
    with scratch_schema(schema) as url, TansuBroker() as broker, \
            tempfile.TemporaryDirectory() as home, Sinks(Path(home) / "ftp") as sinks:
        broker.create_topics(TOPICS, partitions=3)
        app = LucyApplication(persistence_env(url),
                              blobs=FilesystemBlobStore(Path(home) / "blobs"))
        firm_id, clients = office(app, sinks.ftp_port)
        secrets_file = Path(home) / "secrets.json"
        FileSecretStore(secrets_file).put("bench-ftp", {"password": FTP_PASSWORD})
        env = {**os.environ, "LUCY_DATABASE_URL": url, "LUCY_KAFKA_BOOTSTRAP": broker.bootstrap,
               "LUCY_SMTP_RELAY": f"smtp://127.0.0.1:{sinks.smtp_port}?from=bench@lucy.example"
                                  "&starttls=false",
               "LUCY_SECRETS_FILE": str(secrets_file), "LUCY_DATA_DIR": home,
               # The production group timeouts (config.py's defaults): the warm-ups wait
               # out the joins, and a shorter heartbeat would only cost CPU.
               "LUCY_LOG_FORMAT": "json"}
        yield Pipeline(url, app, sinks, firm_id, clients, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=None,
                        help="steady send requests a second (default: half the raw rate)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=400)
    args = parser.parse_args()
    with pipeline("bench_delivery") as (url, app, sinks, firm_id, clients, env):
        raw_clients = RawClients(sinks.smtp_port, sinks.ftp_port, WORKERS)
        raw_clients.rate(WORKERS * 5, first=10**7)  # warm-up: every thread's sessions
        # The median of a few raw bursts: one burst of 400 lasts about a second, and one
        # such burst alone gave 257 to 506 documents/s in session 8's runs.
        raw_cpu = time.process_time()
        raw_rates = [raw_clients.rate(args.burst, first=n * args.burst)
                     for n in range(RAW_BURSTS)]
        raw = statistics.median(raw_rates)
        raw_cpu = (time.process_time() - raw_cpu) / (args.burst * RAW_BURSTS) * 1000
        rate = args.rate or raw / 2
        steady_count = int(rate * args.seconds)
        warm = received(app, firm_id, clients, -20, 20)
        steady = received(app, firm_id, clients, 0, steady_count)
        bursts = [received(app, firm_id, clients, 10**6 + n * args.burst, args.burst)
                  for n in range(BURST_PAIRS)]
        # Kept after the run (overwritten by the next one) for a look when something fails.
        log_dir = Path(tempfile.gettempdir()) / "lucy-delivery-bench"
        log_dir.mkdir(exist_ok=True)
        logs = {command: log_dir / f"{command}.log" for command in ("relay", "route")}
        processes = [subprocess.Popen(
            [str(BIN), command], env=env, stdout=subprocess.DEVNULL,
            stderr=path.open("wb")) for command, path in logs.items()]

        try:
            app.request_bulk_send(firm_id, warm, SETUP)
            if wait_sent(app, url, warm, 60):
                for process in processes:
                    print("process", process.args, "exit code", process.poll())
                for command, path in logs.items():
                    print(f"--- {command} log ({path}), warnings and the last lines")
                    lines = path.read_text().splitlines()
                    print("\n".join([line for line in lines[:-15] if any(
                        word in line for word in ("warning", "error", "assigned", "revoked"))]
                        + lines[-15:]))
                raise SystemExit("the pipeline did not deliver the warm-up documents in 60 s")

            request_steadily(app, firm_id, steady, rate)
            lost = wait_sent(app, url, steady, 60)
            latencies = [ms for d in steady if (ms := latency_ms(app, d)) is not None]

            # Each router burst right after a raw burst of its own, so that each pair runs
            # at the same moment of this machine (whose speed drifts within a run); the
            # relay and route processes paused meanwhile (SIGSTOP, for about a second: well
            # inside the consumer groups' session timeout), so the raw side has the
            # machine as it had before they started.
            pairs: list[tuple[float, float]] = []
            burst_lost: list[UUID] = []
            cpu_used = [0.0 for _ in processes]
            machine_used = [0.0, 0.0]  # the whole machine's, in the raw and router bursts
            for n, burst in enumerate(bursts):
                for process in processes:
                    process.send_signal(signal.SIGSTOP)
                machine = machine_cpu_seconds()
                raw_now = raw_clients.rate(args.burst, first=(RAW_BURSTS + n) * args.burst)
                machine_used[0] += machine_cpu_seconds() - machine
                for process in processes:
                    process.send_signal(signal.SIGCONT)
                time.sleep(0.5)  # the processes back to where they idle
                cpu = [cpu_seconds(p.pid) for p in processes]
                machine = machine_cpu_seconds()
                # Timed by the clock that stamps the events: from before the bulk send to
                # the last DocumentSent's own timestamp, not to the poll that saw it.
                burst_started = event_time()
                app.request_bulk_send(firm_id, burst, SETUP)
                lost_now = wait_sent(app, url, burst, 120)
                cpu_used = [used + cpu_seconds(p.pid) - c
                            for used, p, c in zip(cpu_used, processes, cpu, strict=True)]
                machine_used[1] += machine_cpu_seconds() - machine
                burst_ended = max(
                    (sent for d in burst if (sent := stamped(app, d)[1]) is not None),
                    default=event_time())
                pairs.append((raw_now, (args.burst - len(lost_now)) / (
                    burst_ended - burst_started).total_seconds()))
                burst_lost += lost_now
            cpu = [used / (args.burst * BURST_PAIRS) * 1000 for used in cpu_used]
            machine_ms = [used / (args.burst * BURST_PAIRS) * 1000 for used in machine_used]

        finally:  # the relay and router processes stop whatever happened
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
        raw_clients.close()
        message_ids, stored = sinks.counts()
        duplicates = sum(c - 1 for k, c in message_ids.items() if c > 1 and "raw" not in k)
        duplicates += sum(c - 1 for k, c in stored.items() if c > 1)
        app.close()

    print(f"delivery on PostgreSQL ({POSTGRES_URL}) + tansu, half SMTP half FTP, 30 kB PDFs; "
          f"{WORKERS} concurrent deliveries on both sides")
    print(f"raw smtplib/ftplib, sessions kept per thread, {WORKERS} threads, before the "
          f"steady load: {raw:.0f} documents/s (median of {RAW_BURSTS} bursts: "
          + ", ".join(f"{r:.0f}" for r in raw_rates) + ")")
    for n, (raw_now, router) in enumerate(pairs, 1):
        print(f"burst {n}: raw {raw_now:4.0f} documents/s, then the router (bulk send of "
              f"{args.burst} -> all sent) {router:4.0f} documents/s: {router / raw_now:.2f}")
    print(f"steady {rate:.0f} send requests/s (half the raw rate) for {args.seconds:.0f} s: "
          f"{len(steady)} sent, latency SendRequested -> DocumentSent p50 "
          f"{percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")
    print(f"CPU a document (burst): raw client {raw_cpu:.1f} ms; relay process {cpu[0]:.1f} ms, "
          f"router process {cpu[1]:.1f} ms (not counted: tansu, PostgreSQL, the sinks)")
    print(f"machine CPU a document (burst, every process: sinks, PostgreSQL, tansu, this "
          f"script's waiting included): raw {machine_ms[0]:.1f} ms, the pipeline "
          f"{machine_ms[1]:.1f} ms; {os.cpu_count()} cores")
    print(f"lost: {len(lost) + len(burst_lost)}  duplicated: {duplicates}")
    print(f"burst_ratio: {statistics.median(r / raw_now for raw_now, r in pairs):.2f}")
    print(f"p99: {percentile(latencies, 99):.1f}")


if __name__ == "__main__":
    main()
