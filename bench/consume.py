"""Consume: the consumer runtime's events/s from Kafka (poll, decode Avro, hand batches
to a handler, commit) against a raw kafka-python KafkaConsumer loop (poll, commit) over
the same records, in the same run.

Each round uses fresh consumer groups. On both sides the clock (wall and CPU) starts once
the first batch has been handled and committed, and only the records after it are
counted: the group join and the first fetch are left out alike. (Until session 7 the raw
side's clock started before handling its first batch and the runtime's after it, while
the runtime's rate still counted that batch's records: a window of its own for each.)
The order of the sides alternates from round to round, so a side does not always run
just after the same other one, and the rounds are 5, as one pass takes about a second
and a stall of the shared machine moves a single pass by tens of percent.

The headline's raw side is a batch consumer (since session 10): the runtime hands each
polled batch whole to its handler and commits once the handler is done (a projection
folds a batch in one transaction, so it needs all of it at once), so its decoded events
live until the commit; the raw loop decodes each poll's values into a list kept until
after its commit, where it used to drop each value at once, which no batch consumer can
do. That loop still runs and is printed as ``drop_ratio`` (the headline until session
10), not in the ratio. Same readers and poll/commit settings on the raw side as before.
Usage: python bench/consume.py [--events N] [--rounds R]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import fastavro
from kafka import KafkaConsumer, KafkaProducer

sys.path.insert(0, os.path.dirname(__file__))
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bootstrap import kafka_dead_letters, kafka_source
from lucy_events.bus import records as bus_records
from lucy_events.bus.avro import AvroCodec, SchemaRegistryFile, _without_logical_types
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.dead_letters import KafkaDeadLetters
from lucy_events.bus.kafka_settings import consumer_settings, producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import ConsumerRuntime, Delivery, Handler
from lucy_events.config import persistence_env
from lucy_events.logs import configure_logging
from lucy_events.sqldb import Database
from lucy_events.testing.tansu import TansuBroker
from relay import seed

GROUP = {"session_timeout_ms": 2000, "heartbeat_interval_ms": 300}


class Decoding(Handler):
    """Reads every event, as a projection does: every message is Avro-decoded."""

    name = "bench"
    topics = TOPICS

    def __init__(self) -> None:
        self.count = 0

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            delivery.event  # noqa: B018 - decoding is the point
        self.count += len(deliveries)


class Filtering(Decoding):
    """Reads only the events it handles, as the router does (SendRequested): the others
    are picked out by their event-type header and never decoded."""

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            if delivery.event_type == "SendRequested":
                delivery.event  # noqa: B018
        self.count += len(deliveries)


def fastavro_decoder() -> Callable[[bytes], Any]:
    """Look the writer schema up by id and read the body with fastavro: schemas without
    logical types (uuids and times read as strings and numbers), as the runtime's codec
    reads a value it has no quick reader for. Not the headline's raw side since session
    9 (``same_path_decoder``)."""
    schemas = {s.id: fastavro.parse_schema(_without_logical_types(s.schema))
               for s in SchemaRegistryFile().schemas}

    def decode(value: bytes) -> Any:
        return fastavro.schemaless_reader(io.BytesIO(value[5:]),
                                          schemas[int.from_bytes(value[1:5], "big")], None)

    return decode


def same_path_decoder() -> Callable[[bytes], Any]:
    """The headline's raw decoding: by the same path as the runtime's codec. Since
    session 9 the codec reads the latest schema of each event type, where it is of plain
    shape, with a reader generated for it (``bus/avro_reader.py``: fastavro's records,
    sooner) and the others with fastavro; a raw loop left on fastavro alone would take a
    slower path than the runtime, the flaw the review found in this benchmark's first
    version (a slower logical-type path). So the raw loop uses the same readers, and what
    the runtime adds is its own: checking the framing, resolving to the reader schema,
    building the event, handing batches over, committing. Which schemas have a quick
    reader is the codec's decision, taken from it, not made again here. (Since session
    10 the codec finishes the same reading into the event itself, ``bus/event_reader.py``;
    ``quick_readers`` are its readers into fastavro's records, the same reading.)"""
    fallback = fastavro_decoder()
    # The codec's own choice of readers (one rule: which schemas get a quick reader).
    quick = AvroCodec().quick_readers

    def decode(value: bytes) -> Any:
        reader = quick.get(int.from_bytes(value[1:5], "big"))
        return reader(value) if reader is not None else fallback(value)

    return decode


def raw_rate(bootstrap: str, expected: int, decode: Callable[[bytes], Any] | None, *,
             keep: bool = True) -> tuple[float, float]:
    """Events/s, and this process's CPU µs an event (kafka-python's thread included),
    from the end of the first batch (handled and committed) on.

    With a decoder, the loop is a batch consumer's: each poll's values decoded into a
    list, the batch, which lives until after its commit, as the runtime's batch lives
    until its handler is done and the batch committed (a projection folds a batch in
    one transaction: it needs the whole batch at once). ``keep=False`` is the loop used
    as the headline's raw side until session 10, which drops each value once decoded,
    as no batch consumer can: printed as ``drop_ratio``, not in the ratio."""
    consumer = KafkaConsumer(*TOPICS, **consumer_settings(bootstrap, f"raw-{uuid.uuid4()}",
                                                          **GROUP))
    count, started, cpu, first = 0, 0.0, 0.0, 0
    while count < expected:
        polled = consumer.poll(timeout_ms=500, max_records=500)
        batch: list[Any] = []
        for records in polled.values():
            count += len(records)
            if decode is not None:
                if keep:
                    batch += [decode(record.value) for record in records]
                else:
                    for record in records:
                        decode(record.value)
        if polled:
            consumer.commit()
            if not started:
                started, cpu, first = time.perf_counter(), time.process_time(), count
        del batch  # the batch is done with once committed
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    consumer.close()
    return (count - first) / elapsed, cpu / (count - first) * 1e6


def runtime_rate(bootstrap: str, expected: int, dead_letters: KafkaDeadLetters,
                 handler: Decoding) -> tuple[float, float]:
    """As ``raw_rate``: from the end of the first step (polled, handled, committed) on.
    Every pass starts with the decoder's remembered ids forgotten, as a new process's:
    otherwise each pass after the first finds the 30,000 events' ids parsed already (a
    live consumer meets each event's own id once), about 1.4 µs an event in its favour."""
    bus_records._UUIDS.clear()
    bus_records._TEXTS.clear()
    source = kafka_source(bootstrap, f"runtime-{uuid.uuid4()}", TOPICS, **GROUP)
    runtime = ConsumerRuntime(source, handler, dead_letters, batch_size=500)
    started, cpu, first = 0.0, 0.0, 0
    while handler.count < expected:
        if runtime.step() and not started:
            started, cpu, first = time.perf_counter(), time.process_time(), handler.count
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    source.close()
    return (handler.count - first) / elapsed, cpu / (handler.count - first) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure_logging(level="WARNING")  # the members' joins and leaves are not figures
    from common import scratch_schema

    with scratch_schema("bench_consume") as url, TansuBroker() as broker:
        broker.create_topics(TOPICS, partitions=3)
        app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore())
        seed(app, args.events)
        db = Database.from_url(url)
        relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(broker.bootstrap)))
        while relay.publish_next():
            pass
        total = relay.position
        dead_letters = kafka_dead_letters(broker.bootstrap, db)
        raw: list[tuple[float, float]] = []
        raw_decoding: list[tuple[float, float]] = []
        raw_dropping: list[tuple[float, float]] = []
        raw_fastavro: list[tuple[float, float]] = []
        decoding: list[tuple[float, float]] = []
        filtering: list[tuple[float, float]] = []
        decode, with_fastavro = same_path_decoder(), fastavro_decoder()
        sides: list[tuple[list[tuple[float, float]], Callable[[], tuple[float, float]]]] = [
            (raw, lambda: raw_rate(broker.bootstrap, total, None)),
            (raw_decoding, lambda: raw_rate(broker.bootstrap, total, decode)),
            (raw_dropping, lambda: raw_rate(broker.bootstrap, total, decode, keep=False)),
            (raw_fastavro, lambda: raw_rate(broker.bootstrap, total, with_fastavro)),
            (decoding, lambda: runtime_rate(broker.bootstrap, total, dead_letters,
                                            Decoding())),
            (filtering, lambda: runtime_rate(broker.bootstrap, total, dead_letters,
                                             Filtering())),
        ]
        for round_ in range(args.rounds):
            for runs, run in sides if round_ % 2 == 0 else reversed(sides):
                runs.append(run())
        db.close()
        app.close()
    raw_median, raw_decoding_median = (statistics.median(r for r, _ in raw),
                                       statistics.median(r for r, _ in raw_decoding))
    raw_fastavro_median = statistics.median(r for r, _ in raw_fastavro)
    raw_dropping_median = statistics.median(r for r, _ in raw_dropping)
    decoding_median, filtering_median = (statistics.median(r for r, _ in decoding),
                                         statistics.median(r for r, _ in filtering))
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in (
        ("raw", raw), ("raw + decode", raw_decoding),
        ("raw + decode, each value dropped", raw_dropping), ("raw + fastavro", raw_fastavro),
        ("runtime decoding", decoding),
        ("runtime router-like", filtering))}
    print(f"consume: {total} events from tansu over 3 topics x 3 partitions, batches of 500, "
          f"{args.rounds} rounds, the order reversed every other round (median), fresh groups "
          "each round, the first batch of each pass not timed")
    print(f"raw KafkaConsumer loop, no decoding (poll, commit):   {raw_median:8.0f} events/s")
    print(f"raw KafkaConsumer loop + decode of each batch, the codec's readers, the batch "
          f"kept until committed: {raw_decoding_median:8.0f} events/s")
    print(f"raw KafkaConsumer loop + decode of each value, the codec's readers, each value "
          f"dropped at once: {raw_dropping_median:8.0f} events/s (not in the ratio)")
    print(f"raw KafkaConsumer loop + decode of each batch, fastavro alone, kept until "
          f"committed: {raw_fastavro_median:8.0f} events/s (not in the ratio)")
    print(f"runtime, handler reading only its types (router-like): {filtering_median:8.0f} "
          f"events/s = {filtering_median / raw_median:.2f} of raw without decoding")
    print(f"runtime, handler decoding every event (projection-like): {decoding_median:8.0f} "
          f"events/s = {decoding_median / raw_median:.2f} of raw without decoding")
    print(f"not in the ratio: runtime decoding every event / raw loop with fastavro alone: "
          f"{decoding_median / raw_fastavro_median:.2f}")
    print(f"drop_ratio (not in the ratio; the headline until session 10): runtime decoding "
          f"every event / raw loop dropping each value: "
          f"{decoding_median / raw_dropping_median:.2f}, cpu "
          f"{cpu['raw + decode, each value dropped'] / cpu['runtime decoding']:.2f}")
    print("ratio (runtime decoding every event vs raw loop decoding every batch by the same "
          "readers, kept until committed):")
    print("CPU µs an event of the consuming process (median; steadier than the rates on a "
          "loaded machine): " + ", ".join(f"{name} {us:.1f}" for name, us in cpu.items()))
    print(f"cpu_ratio (raw + decode / runtime decoding): "
          f"{cpu['raw + decode'] / cpu['runtime decoding']:.2f}")
    print(f"ratio: {decoding_median / raw_decoding_median:.2f}")


if __name__ == "__main__":
    main()
