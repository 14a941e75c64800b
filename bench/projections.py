"""Read-model rebuild: events/s rebuilding each read model from the event store on
PostgreSQL (``lucy-events replay``: fresh tables, catch-up in batches, index, swap),
against raw psycopg writing the same final rows (those the rebuild left) into tables of
the same definition, in as many transactions as the rebuild's batches (one executemany
each), same run: ``ratio`` is the rebuild's rate over raw's, for the same events. Also
shown: the same projection fed one event per transaction (the speed-up of batching).

The history is made through the application: a firm with staff and teams, ~1,000 clients
(invitations, activations, Peppol, integrations...), then documents received in batches,
typed, sent, delivered, failed, rejected, archived and deleted, until it holds --events.
Usage: python bench/projections.py [--events N] [--sample N] [--rounds N]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from uuid import UUID

import structlog

sys.path.insert(0, os.path.dirname(__file__))
from common import POSTGRES_URL, connect_to, scratch_schema
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document_rules import DOCUMENT_TYPES
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.log_source import LogSource
from lucy_events.config import persistence_env
from lucy_events.projections import PROJECTIONS, Rebuild
from lucy_events.projections.base import Projection
from lucy_events.projections.ddl import create_table
from lucy_events.projections.replay import BATCH_EVENTS
from lucy_events.sqldb import Database

SYSTEM = Actor.system("bench")
#: The read models this history feeds (the others, vault and Peppol validations, see
#: none of its events).
MEASURED = ("dashboard", "documents")
MAIL = {"purchase_address": "inbox@package.example"}
INTEGRATIONS = [("clearfacts", MAIL), ("octopus", MAIL), ("exact-online-api", {}),
                ("expert-m", {}), ("none", {})]


def be_number(seed: int) -> str:
    digits = f"{4_000_000 + seed * 1013:08d}"
    return digits + f"{97 - int(digits) % 97:02d}"


def client_life(app: LucyApplication, firm: UUID, admin: Actor, staff: list[UUID],
                teams: list[UUID], n: int, rng: random.Random) -> UUID | None:
    """One client, from creation to wherever it got; its id when it is active."""
    def maybe(p: float) -> bool:
        return rng.random() < p
    client = app.create_client(
        firm, admin, name=f"Client {n} BV", country="BE", enterprise_number=be_number(n),
        address={"street": f"Kerkstraat {n}", "postal_code": "9000", "city": "Gent",
                 "country": "BE"},
        contact_person={"first_name": "An", "last_name": f"Peeters {n}",
                        "email": f"an{n}@client.example"},
        team_id=rng.choice(teams) if maybe(0.7) else None,
        firm_contact_id=rng.choice(staff) if maybe(0.8) else None)
    for p, command, value in [
        (0.05, app.replace_contact_person, {"first_name": "Jan", "last_name": "Maes",
                                            "email": f"jan{n}@client.example"}),
        (0.1, app.change_firm_contact, rng.choice(staff)),
        (0.1, app.assign_team, rng.choice(teams)),
        (0.05, app.change_visibility, True),
        (0.05, app.change_auto_send, False),
        (0.05, app.change_allowed_senders, ["supplier.example"]),
    ]:
        if maybe(p):
            command(firm, client, value, admin)  # type: ignore[operator]
    if not maybe(0.85):
        return None
    token = app.invite_client(firm, client, admin)
    if maybe(0.05):
        token = app.resend_invitation(firm, client, admin)
    if not maybe(0.8):
        return None
    app.accept_invitation(token)
    if maybe(0.2):
        app.change_plan(firm, client, rng.choice(["Business", "Business Pro"]), admin)
    if maybe(0.4):
        app.enable_peppol(firm, client, True, maybe(0.5), admin)
        if maybe(0.1):
            app.disable_peppol(firm, client, True, False, admin)
    if maybe(0.7):
        package, settings = rng.choice(INTEGRATIONS)
        app.link_integration(firm, client, package, admin, settings=settings)
        if maybe(0.04):
            app.unlink_integration(firm, client, admin)
    return client


def act(app: LucyApplication, ids: list[UUID], change: Callable[[Any], None]) -> None:
    """What a document command does (load, act, save), for many documents in one
    transaction: the same events as one command each, only made faster."""
    documents = [app.document_for_system(i) for i in ids]
    for document in documents:
        change(document)
    app.save(*documents)


def seed(app: LucyApplication, events: int, clients: int, rng: random.Random) -> None:
    firm = app.register_firm("Bench Accountants", SYSTEM)
    staff = [app.add_staff_member(firm, f"Staff {i}", f"staff{i}@bench.example",
                                  "admin" if i < 2 else "accountant", SYSTEM) for i in range(12)]
    admin = app.actor_for(firm, staff[0])
    teams = [app.create_team(firm, f"Team {i}", admin) for i in range(4)]
    for i, member in enumerate(staff[2:]):
        app.assign_staff_to_team(firm, member, teams[i % 4], admin)
    for package in ("exact-online-api", "expert-m", "yuki-api"):
        app.configure_portal_integration(firm, package, {"credentials_ref": package}, admin)
    app.remove_portal_integration(firm, "yuki-api", admin)
    app.remove_staff_member(firm, staff.pop(), admin)
    active = [c for n in range(clients)
              if (c := client_life(app, firm, admin, staff, teams, n, rng)) is not None]
    router, n = Actor.system("router"), 0
    while (app.recorder.max_notification_id() or 0) < events:
        batch = [IncomingDocument(
            firm, rng.choice(active), b"%%PDF-1.4 bench %d" % (n + i), f"invoice-{n + i}.pdf",
            "application/pdf", rng.choice(["email", "upload", "peppol"]),
            sender="ap@supplier.example",
            document_type=rng.choice(DOCUMENT_TYPES) if rng.random() < 0.8 else None)
            for i in range(500)]
        n += len(batch)
        ids = app.receive_documents(batch, SYSTEM)
        untyped = [i for i, d in zip(ids, batch, strict=True) if d.document_type is None]
        act(app, untyped[: len(untyped) // 2], lambda d: d.assign_type("receipt", admin))
        typed = [i for i, d in zip(ids, batch, strict=True) if d.document_type is not None]
        requested = rng.sample(typed, int(len(typed) * 0.7))
        app.request_bulk_send(firm, requested, admin)
        rng.shuffle(requested)
        failed, rejected = requested[:40], requested[40:60]
        sent = requested[60:]
        act(app, sent, lambda d: d.record_sent("clearfacts", f"ref-{d.id.hex[:8]}", router))
        act(app, failed, lambda d: d.record_send_failure("SMTP timeout", True, router))
        act(app, rejected, lambda d: d.record_rejection("unknown supplier", router))
        act(app, failed[:20], lambda d: d.request_send(admin))
        act(app, failed[:20], lambda d: d.record_sent("clearfacts", "ref-retry", router))
        act(app, sent[:40], lambda d: d.archive(admin))
        asked = set(requested)
        act(app, [i for i in ids if i not in asked][:10], lambda d: d.delete(admin))


#: Every connection of this run names itself so, for counting PostgreSQL's CPU.
APP_NAME = f"bench-projections-{os.getpid()}"


def backend_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds each PostgreSQL backend has used (from /proc: a server on this
    machine, as here; empty when it is elsewhere)."""
    used = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def our_backends() -> dict[int, float]:
    with connect_to(POSTGRES_URL + "?schema=public") as conn:
        pids = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND pid <> "
            "pg_backend_pid()", (APP_NAME,))]
    return backend_cpu(pids)


class CPU:
    """CPU seconds used meanwhile by this process (all threads) and by its PostgreSQL
    backends: the work each path costs, whatever else the machine runs."""

    def __enter__(self) -> CPU:
        self.process, self.backends = time.process_time(), our_backends()
        return self

    def __exit__(self, *exc: object) -> None:
        self.process = time.process_time() - self.process
        after = our_backends()
        self.database = sum(cpu - self.backends.get(pid, 0.0) for pid, cpu in after.items())


def rebuild_round(app: LucyApplication, db: Database, name: str) -> tuple[float, float, CPU]:
    """(catch-up events/s, whole rebuild events/s: fresh tables, catch-up and swap, and
    the CPU of the whole rebuild)."""
    with CPU() as cpu:
        run = Rebuild(db, app, name)
        run.start()
        started = time.perf_counter()
        events = run.catch_up()
        catch_up = events / (time.perf_counter() - started)
        whole = run.swap().per_second
    return catch_up, whole, cpu


class OneByOne:
    """The same projection in a schema of its own, fed from the log one event per
    transaction (``handle([delivery])``), as a consumer without batching would."""

    def __init__(self, app: LucyApplication, url: str, name: str, start: int) -> None:
        self.projection: Projection = PROJECTIONS[name](Database.from_url(url))
        self.projection.ensure_tables()
        self.source = LogSource(app, self.projection.db, self.projection.name,
                                self.projection.topics, wakeup=threading.Event())
        # The history up to ``start``, batched and untimed: the sample meets tables about
        # as full as a live read model's, and a representative mix of events.
        while self.source.cursor < start and (batch := self.source.poll(2000, 0)):
            self.projection.handle(batch.deliveries)
            self.source.commit(batch)

    def __call__(self, count: int) -> float:
        started, done = time.perf_counter(), 0
        while done < count:
            batch = self.source.poll(min(500, count - done), 0)
            if not batch:
                raise RuntimeError("the sample runs past the end of the log")
            for delivery in batch.deliveries:
                self.projection.handle([delivery])
            self.source.commit(batch)
            done += len(batch)
        return done / (time.perf_counter() - started)


class RawWrites:
    """Raw psycopg writing a read model's final rows into fresh tables of the same
    definition (no indexes, as a rebuild's fresh tables), spread over ``transactions``
    transactions of one executemany per table, all but the last not waiting for the disk
    (as the rebuild's batches)."""

    def __init__(self, db: Database, url: str, name: str, transactions: int) -> None:
        self.db, self.url, self.transactions = db, url, transactions
        self.tables = PROJECTIONS[name].tables
        self.round = 0

    def __call__(self, events: int) -> tuple[float, CPU]:
        self.round += 1
        statements, rows = [], []
        with connect_to(self.url) as conn:
            for table in self.tables:
                columns = conn.execute(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
                    "ORDER BY attnum", (table.name,)).fetchall()
                names = ", ".join(f'"{c}"' for c, _ in columns)
                as_text = ", ".join(f'"{c}"::text' for c, _ in columns)
                rows.append(conn.execute(f"SELECT {as_text} FROM {table.name}").fetchall())
                raw = f"raw_{table.name}_{self.round}"
                statements.append(f"INSERT INTO {raw} ({names}) VALUES ("
                                  + ", ".join(f"%s::{t}" for _, t in columns) + ")")
        with self.db.transaction() as tx:
            for table in self.tables:
                create_table(tx, "postgresql", table, f"raw_{table.name}_{self.round}",
                             indexes=False)
        chunks = [[table_rows[i::self.transactions] for table_rows in rows]
                  for i in range(self.transactions)]
        with connect_to(self.url, autocommit=False) as conn, CPU() as cpu:
            started = time.perf_counter()
            for number, chunk in enumerate(chunks, 1):
                with conn.cursor() as cursor:
                    if number < len(chunks):
                        # The rebuild's batches commit without waiting for the disk; its
                        # swap waits (positions.save_redoable): the same durability here.
                        cursor.execute("SET LOCAL synchronous_commit = off")
                    for statement, table_rows in zip(statements, chunk, strict=True):
                        if table_rows:
                            cursor.executemany(statement, table_rows)
                conn.commit()
            rate = events / (time.perf_counter() - started)
        return rate, cpu


def event_mix(app: LucyApplication, url: str) -> tuple[int, int]:
    """How many events the store holds, and of how many types."""
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    with connect_to(url) as conn:
        row = conn.execute(f"SELECT COUNT(*), COUNT(DISTINCT topic) FROM {table}").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=6000,
                        help="events fed one per transaction, over all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    os.environ["PGAPPNAME"] = APP_NAME  # libpq names every connection of this process
    with scratch_schema("bench_proj") as url, scratch_schema("bench_proj_one") as one_url:
        started = time.perf_counter()
        writer = LucyApplication({**persistence_env(url), "AGGREGATE_CACHE_MAXSIZE": "500000",
                                  "AGGREGATE_CACHE_FASTFORWARD": "n",
                                  "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}, blobs=InMemoryBlobStore())
        seed(writer, args.events, args.clients, random.Random(7))
        writer.close()
        seeded = time.perf_counter() - started
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
        events, types = event_mix(app, url)
        db = Database.from_url(url)
        one_by_one = {name: OneByOne(app, one_url, name, events // 2) for name in MEASURED}
        rates: dict[tuple[str, str], list[float]] = defaultdict(list)
        cpus: dict[tuple[str, str], list[CPU]] = defaultdict(list)
        transactions = -(-events // BATCH_EVENTS)  # as many as the rebuild's batches
        raw = {name: RawWrites(db, url, name, transactions) for name in MEASURED}
        for _ in range(args.rounds):
            for name in MEASURED:
                catch_up, whole, cpu = rebuild_round(app, db, name)
                rates[name, "catch-up"].append(catch_up)
                rates[name, "rebuild"].append(whole)
                cpus[name, "rebuild"].append(cpu)
                raw_rate, cpu = raw[name](events)
                rates[name, "raw"].append(raw_rate)
                cpus[name, "raw"].append(cpu)
                rates[name, "one"].append(one_by_one[name](args.sample // args.rounds))
        for baseline in one_by_one.values():
            baseline.projection.db.close()
        db.close()
        app.close()
    median = {key: statistics.median(values) for key, values in rates.items()}
    print(f"read-model rebuild on PostgreSQL ({POSTGRES_URL}): {events} events of {types} "
          f"types (made through the application in {seeded:.0f} s); {args.rounds} interleaved "
          f"rounds (median); one event per transaction over {args.sample} events from the "
          "middle of the log")
    speed_ups, ratios = [], []
    for name in MEASURED:
        one, whole, raw_rate = median[name, "one"], median[name, "rebuild"], median[name, "raw"]
        speed_ups.append(whole / one)
        ratios.append(whole / raw_rate)
        print(f"{name:9s} raw psycopg, the final rows, {-(-events // BATCH_EVENTS)} executemany "
              f"transactions: {raw_rate:10.0f} events/s")
        print(f"{name:9s} rebuild (batches of {BATCH_EVENTS}):    {whole:10.0f} events/s   "
              f"(catch-up alone {median[name, 'catch-up']:.0f} events/s) = "
              f"{whole / raw_rate:.2f} of raw")
        print(f"{name:9s} one event per transaction:     {one:10.0f} events/s")
        rebuild_cpu, raw_cpu = (
            [statistics.median(getattr(c, part) for c in cpus[name, path]) * 1e6 / events
             for part in ("process", "database")] for path in ("rebuild", "raw"))
        print(f"{name:9s} CPU an event (median; not the ratio): rebuild {rebuild_cpu[0]:.1f} "
              f"µs here + {rebuild_cpu[1]:.1f} µs PostgreSQL, raw {raw_cpu[0]:.1f} µs here + "
              f"{raw_cpu[1]:.1f} µs PostgreSQL")
    print(f"speed-up of batching (not the ratio): {min(speed_ups):.1f}")
    print(f"ratio: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
