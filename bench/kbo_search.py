"""Register name search over 2,000,000 denominations: p50/p99 through the service
(``RegisterSearch.search``: the name query plus each company's legal form, address and
status) against a raw baseline (the same name query run directly with psycopg/sqlite3).

Usage: python bench/kbo_search.py [--backend postgresql|sqlite|both] [--names N]
The last line is ``p99_ms: X.X`` of the service on PostgreSQL (target <= 50), or on
SQLite when only SQLite runs.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import connect_to, scratch_schema
from kbo_names import company_name, query_for
from lucy_events.register.dialects import LIVE_NAMES
from lucy_events.register.loader import ensure_register, write_batches
from lucy_events.register.search import (
    _PG_NAMES,
    _SQLITE_NAMES,
    RegisterSearch,
    text_match,
)
from lucy_events.register.tables import BY_FILE
from lucy_events.sqldb import Database

QUERIES = 300
BATCH = 20_000


def numbers(count: int) -> Iterator[str]:
    for n in range(count):
        first = 20_000_000 + n * 3
        yield f"{first:08d}{97 - first % 97:02d}"


def generate(db: Database, count: int, rng: random.Random) -> list[str]:
    """``count`` denominations (about one enterprise in four also has an abbreviation or
    a commercial name), their enterprises and registered addresses; returns a sample of
    names to look for."""
    register = ensure_register(db)
    sample: list[str] = []
    enterprises = int(count / 1.25)
    names_left = count

    def denominations() -> Iterator[dict[str, Any]]:
        nonlocal names_left
        for number in numbers(enterprises):
            name = company_name(rng)
            if rng.random() < 0.0005:
                sample.append(name)
            kinds = ["001", "003"] if rng.random() < 0.25 and names_left > 1 else ["001"]
            for kind in kinds:
                if names_left <= 0:
                    return
                names_left -= 1
                yield {"entity_number": number, "language": rng.choice("122"),
                       "type_of_denomination": kind,
                       "denomination": name if kind == "001" else company_name(rng)}
        while names_left > 0:  # the rest as extra commercial names of the first ones
            names_left -= 1
            yield {"entity_number": next(numbers(1)), "language": "2",
                   "type_of_denomination": "003", "denomination": company_name(rng)}

    write_batches(db, register, BY_FILE["denomination"], LIVE_NAMES, denominations(), BATCH)
    write_batches(db, register, BY_FILE["enterprise"], LIVE_NAMES, (
        {"enterprise_number": n, "status": "AC", "juridical_situation": "000",
         "type_of_enterprise": "2", "juridical_form": rng.choice(("014", "610", "030")),
         "juridical_form_cac": "", "start_date": f"{rng.randint(1950, 2025)}-01-01"}
        for n in numbers(enterprises)), BATCH)
    write_batches(db, register, BY_FILE["address"], LIVE_NAMES, (
        {"entity_number": n, "type_of_address": "REGO", "country_nl": "", "country_fr": "",
         "zipcode": str(rng.randint(1000, 9999)), "municipality_nl": "Gent",
         "municipality_fr": "Gand", "street_nl": "Kerkstraat", "street_fr": "Rue de l'Église",
         "house_number": str(rng.randint(1, 200)), "box": "", "extra_address_info": "",
         "date_striking_off": None} for n in numbers(enterprises)), BATCH)
    write_batches(db, register, BY_FILE["code"], LIVE_NAMES, [
        {"category": "JuridicalForm", "code": code, "language": "NL", "description": text}
        for code, text in (("014", "Naamloze vennootschap"), ("610", "Besloten vennootschap"),
                           ("030", "Coöperatieve vennootschap"))])
    with db.transaction() as tx:
        register.index_search(tx, LIVE_NAMES, "bench")
    return sample


def timed(run: Callable[[str], Any], queries: list[str]) -> tuple[list[float], int]:
    times, hits = [], 0
    for query in queries:
        started = time.perf_counter()
        found = run(query)
        times.append((time.perf_counter() - started) * 1000)
        hits += bool(found)
    return times, hits


def report(label: str, times: list[float], hits: int) -> float:
    p99 = statistics.quantiles(times, n=100)[98]
    print(f"{label}: p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
          f"{hits}/{len(times)} queries found something")
    return p99


def bench_postgresql(count: int, queries_rng: random.Random, rng: random.Random) -> float:
    with scratch_schema("kbo_bench") as url:
        db = Database.from_url(url)
        started = time.perf_counter()
        sample = generate(db, count, rng)
        with connect_to(url) as conn:
            conn.execute("VACUUM ANALYZE kbo_denomination, kbo_enterprise, kbo_address")
        print(f"postgresql: {count:,} denominations generated and indexed in "
              f"{time.perf_counter() - started:.0f} s")
        queries = [query_for(rng.choice(sample), queries_rng) for _ in range(QUERIES)]
        with db.transaction() as tx:
            matches = [text_match(tx, q) for q in queries]
        sql = _PG_NAMES.replace(":match", "%(match)s").replace(":limit", "%(limit)s")
        with connect_to(url) as conn:
            raw = timed(lambda m: conn.execute(sql, {"match": m, "limit": 30}).fetchall()
                        if m else [], matches)
        search = RegisterSearch(db)
        service = timed(lambda q: search.search(q, limit=10), queries)
        report("postgresql raw name query (psycopg, query text prepared beforehand)", *raw)
        p99 = report("postgresql service search", *service)
        db.close()
    return p99


def bench_sqlite(count: int, queries_rng: random.Random, rng: random.Random) -> float:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "read.sqlite"
        db = Database.from_url(f"sqlite:///{path}")
        started = time.perf_counter()
        sample = generate(db, count, rng)
        print(f"sqlite: {count:,} denominations generated and indexed in "
              f"{time.perf_counter() - started:.0f} s")
        queries = [query_for(rng.choice(sample), queries_rng) for _ in range(QUERIES)]
        conn = sqlite3.connect(path)
        with db.transaction() as tx:
            matches = [text_match(tx, q) for q in queries]
        raw = timed(lambda m: conn.execute(_SQLITE_NAMES, {"match": m, "limit": 30}).fetchall()
                    if m else [], matches)
        search = RegisterSearch(db)
        service = timed(lambda q: search.search(q, limit=10), queries)
        report("sqlite raw name query (sqlite3, FTS5 query prepared beforehand)", *raw)
        p99 = report("sqlite service search (typo lookups included)", *service)
        conn.close()
    return p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"),
                        default="postgresql")
    parser.add_argument("--names", type=int, default=2_000_000)
    args = parser.parse_args()
    p99 = 0.0
    if args.backend in ("sqlite", "both"):
        p99 = bench_sqlite(args.names, random.Random(7), random.Random(42))
    if args.backend in ("postgresql", "both"):
        p99 = bench_postgresql(args.names, random.Random(7), random.Random(42))
    print(f"p99_ms: {p99:.1f}")


if __name__ == "__main__":
    main()
