"""Dashboard client list: latency of the first page of ``list_clients`` with a filter, a
search and a sort, on PostgreSQL with 10,000 clients in the firm (30,000 in all) and
1,000,000 documents in the read model, against a raw psycopg query, same run.

The read model's rows are written straight into its tables (it is their data that the
query meets, not how it got there). Search texts, filters, sorts and viewers change from
call to call; the kinds of query and the raw baseline take turns.
Usage: python bench/dashboard_query.py [--calls N] [--documents N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from common import POSTGRES_URL, connect_to, scratch_schema
from lucy_events.projections import (
    DashboardProjection,
    DocumentsProjection,
    add_favourite,
    list_clients,
)
from lucy_events.projections.client_rows import COLUMNS
from lucy_events.projections.dashboard_fold import new_client_row
from lucy_events.projections.dashboard_tables import CLIENTS, STAFF
from lucy_events.projections.search import fold, numbers_key
from lucy_events.projections.tables import upsert_rows
from lucy_events.sqldb import Database

FIRM = uuid.UUID(int=1)
STAFF_IDS = [uuid.UUID(int=100 + i) for i in range(20)]  # 0-1 admins, the rest accountants
TEAMS = [uuid.UUID(int=200 + i) for i in range(5)]
TRADES = ["Bakkerij", "Garage", "Brouwerij", "Apotheek", "Fietsen", "Studio", "Transport",
          "Tandarts", "Bloemen", "Café", "Elektro", "Architect", "Schrijnwerk", "Kapsalon",
          "Boekhandel", "Loodgieter", "Restaurant", "Drukkerij", "Slagerij", "Bouw",
          "Wijnhandel", "Advocaten", "Zonnepanelen", "Kaashandel"]
FAMILIES = ["Claes", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claeys",
            "Goossens", "Wouters", "Dubois", "Lambert", "Dupont", "Martin", "Hermans",
            "Vermeulen", "Smets", "Verhaegen", "Leclercq"]
PACKAGES = (None, "none", "clearfacts", "exact-online-api", "octopus", "expert-m")
STAMP = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'
MORNING = "T10:00:00.000000+00:00"


def be_number(n: int) -> str:
    digits = f"{4_000_000 + n * 1013:08d}"
    return digits + f"{97 - int(digits) % 97:02d}"


def client_rows(rng: random.Random, firm: uuid.UUID, first: int, count: int) -> list[Any]:
    rows = []
    for n in range(first, first + count):
        name = f"{rng.choice(TRADES)} {rng.choice(FAMILIES)} {n}"
        number = be_number(n)
        row = new_client_row(str(uuid.UUID(int=10_000 + n)), str(firm))
        status = rng.choice(["Created", "Invited", "Active", "Active", "Active", "Active"])
        row.update(
            version=5, name=name, name_key=fold(name), numbers_key=numbers_key(number),
            enterprise_number=number, vat_number=f"BE{number}", country="BE",
            contact_name=f"An {rng.choice(FAMILIES)}", contact_email=f"an{n}@client.example",
            firm_contact_id=str(rng.choice(STAFF_IDS)) if rng.random() < 0.8 else None,
            team_id=str(rng.choice(TEAMS)) if rng.random() < 0.7 else None, status=status,
            hidden=rng.random() < 0.05, peppol_send=rng.random() < 0.3,
            peppol_receive=rng.random() < 0.4, integration_package=rng.choice(PACKAGES),
            plan="Trial" if status == "Active" else None,
            trial_ends_on=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if status == "Active" else None,
            created_at=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}{MORNING}",
            updated_at="2026-11-01T00:00:00.000000+00:00")
        rows.append(row)
    return rows


def load(url: str, documents: int, rng: random.Random) -> None:
    """The read model's tables as the projections create them, then its rows: 10,000
    clients of the firm, 20,000 of ten other firms, documents spread over all of them,
    and each client's counts from its documents."""
    db = Database.from_url(url)
    DashboardProjection(db).ensure_tables()
    DocumentsProjection(db).ensure_tables()
    rows = client_rows(rng, FIRM, 0, 10_000)
    for other in range(10):
        rows += client_rows(rng, uuid.UUID(int=2 + other), 10_000 + other * 2000, 2000)
    with db.transaction() as tx:
        upsert_rows(tx, "postgresql", CLIENTS, CLIENTS.name, rows)
        upsert_rows(tx, "postgresql", STAFF, STAFF.name, [
            {"staff_id": str(s), "firm_id": str(FIRM), "name": f"Staff {i}",
             "email": f"staff{i}@firm.example", "role": "admin" if i < 2 else "accountant",
             "team_ids": json.dumps([str(TEAMS[i % 5])]), "removed": False}
            for i, s in enumerate(STAFF_IDS)])
    for viewer in STAFF_IDS:
        for n in rng.sample(range(10_000), 15):
            add_favourite(db, viewer, uuid.UUID(int=10_000 + n))
    db.close()
    with connect_to(url) as conn:
        conn.execute(f"""INSERT INTO client_documents SELECT
            md5(g::text)::uuid::text, c.client_id, c.firm_id, 2, 'invoice-' || g || '.pdf',
            'application/pdf', 1000 + g %% 5000, 'email', 'ap@supplier.example',
            'purchase-invoice', CASE WHEN c.n %% 4 = 0 AND g %% 7 = 0 THEN 'Inbox' ELSE
            (ARRAY['Sent','Sent','Archived','Failed','Rejected','Deleted','Sent','Sending'])
            [1 + g %% 8] END,
            to_char(timestamp '2026-01-01' + g * interval '20 seconds', '{STAMP}'),
            to_char(timestamp '2026-01-01' + g * interval '21 seconds', '{STAMP}'),
            1, NULL, FALSE, NULL, NULL, NULL
            FROM generate_series(0, %s - 1) g
            JOIN (SELECT client_id, firm_id, row_number() OVER (ORDER BY client_id) - 1 AS n
                  FROM dashboard_clients) c ON c.n = g %% 30000""", (documents,))
        conn.execute("INSERT INTO dashboard_documents "
                     "SELECT document_id, client_id, status, 2 FROM client_documents")
        conn.execute("""UPDATE dashboard_clients c SET inbox_count = d.inbox,
            sending_count = d.sending, failed_count = d.failed, rejected_count = d.rejected,
            last_document_at = d.last FROM (SELECT client_id,
                COUNT(*) FILTER (WHERE status = 'Inbox') AS inbox,
                COUNT(*) FILTER (WHERE status = 'Sending') AS sending,
                COUNT(*) FILTER (WHERE status = 'Failed') AS failed,
                COUNT(*) FILTER (WHERE status = 'Rejected') AS rejected,
                MAX(received_at) AS last FROM client_documents GROUP BY client_id) d
            WHERE c.client_id = d.client_id""")
        counted = conn.execute("SELECT COUNT(*) FROM client_documents").fetchone()
        assert counted is not None and counted[0] == documents
        conn.execute("VACUUM ANALYZE dashboard_clients, dashboard_documents, client_documents, "
                     "dashboard_staff, dashboard_favourites")


def query_kinds(rng: random.Random) -> dict[str, Callable[[], dict[str, Any]]]:
    """Each kind of query the bench times: a function giving its next call's arguments."""
    admin = {"viewer_staff_id": STAFF_IDS[0], "viewer_role": "admin", "tab": "all"}

    def name_part() -> str:
        word = rng.choice(TRADES + FAMILIES)
        return word[:rng.randint(3, len(word))].lower() if rng.random() < 0.8 else word

    def vat_digits() -> str:
        number = be_number(rng.randrange(10_000))
        return rng.choice([f"BE {number[:4]}.{number[4:7]}.{number[7:]}", number,
                           number[rng.randint(0, 3):][:rng.randint(5, 8)]])

    return {
        "status=Active + q=<part of a name> + sort=-name": lambda: {
            **admin, "status": "Active", "q": name_part(), "sort": "-name"},
        "q=<VAT digits>": lambda: {**admin, "q": vat_digits()},
        "peppol=send + has_inbox + sort=<one of five>": lambda: {
            **admin, "peppol": "send", "has_inbox": True,
            "sort": rng.choice(["name", "-inbox", "-last_document", "created", "trial_end"])},
        "tab=mine as an accountant (+ q half the time)": lambda: {
            "viewer_staff_id": rng.choice(STAFF_IDS[2:]), "viewer_role": "accountant",
            "tab": "mine", "q": name_part() if rng.random() < 0.5 else None,
            "sort": rng.choice(["name", "-name", "status", "-last_document"])},
    }


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return f"{statistics.median(ordered):7.2f} {at(0.95):7.2f} {at(0.99):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1200, help="timed list_clients calls")
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--warm-up", type=int, default=25, help="untimed calls per kind")
    args = parser.parse_args()
    rng = random.Random(7)
    with scratch_schema("bench_query") as url:
        started = time.perf_counter()
        load(url, args.documents, rng)
        loaded = time.perf_counter() - started
        db = Database.from_url(url)
        raw = connect_to(url)
        raw_sql = (f"SELECT {', '.join(COLUMNS)} FROM {CLIENTS.name} WHERE firm_id = %s "
                   "ORDER BY name_key, client_id LIMIT 25")
        kinds: dict[str, Callable[[], Any]] = {
            name: (lambda make=make: list_clients(db, firm_id=FIRM, **make()))
            for name, make in query_kinds(rng).items()}
        kinds["raw"] = lambda: raw.execute(raw_sql, (str(FIRM),), prepare=True).fetchall()
        for _ in range(args.warm_up):
            for run in kinds.values():
                run()
        times: dict[str, list[float]] = {name: [] for name in kinds}
        found: dict[str, list[int]] = {name: [] for name in kinds}
        order = list(kinds)
        for _ in range(-(-args.calls // (len(kinds) - 1))):
            rng.shuffle(order)  # every kind in turn, in a different order each round
            for name in order:
                began = time.perf_counter()
                result = kinds[name]()
                times[name].append((time.perf_counter() - began) * 1000)
                found[name].append(result.total if hasattr(result, "total") else len(result))
        raw.close()
        db.close()
    listed = [t for name, values in times.items() if name != "raw" for t in values]
    print(f"dashboard client list on PostgreSQL ({POSTGRES_URL}): 10,000 clients in the "
          f"firm (30,000 in all), {args.documents:,} documents; read model written in "
          f"{loaded:.0f} s; {len(listed)} timed calls after {args.warm_up} per kind, the "
          "kinds and the raw query taking turns; milliseconds")
    print(f"{'':56s} {'p50':>7s} {'p95':>7s} {'p99':>7s}  clients matched (median)")
    for name, values in times.items():
        label = "raw psycopg: first page by name (baseline)" if name == "raw" else name
        print(f"{label:56s} {percentiles(values)}  {statistics.median(found[name]):.0f}")
    print(f"{'list_clients, every kind':56s} {percentiles(listed)}")
    ordered = sorted(listed)
    print(f"p99: {ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]:.1f}")


if __name__ == "__main__":
    main()
