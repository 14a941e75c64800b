"""The relay: follows the event store's notification log and publishes it to Kafka.

Each event is Avro-encoded (Confluent framing) onto its aggregate's topic, keyed by
client id, with the headers ``event-type``, ``event-id`` and ``schema-id``
(``relay_records``); the producer is idempotent with acks=all. The relay's position (last
published notification id) is stored only after the broker acknowledged the whole batch,
so a restart resumes with no gap (and at worst publishes the last batch again: delivery
is at least once; after a crash of the PostgreSQL server, the batches of its last fraction
of a second, as that commit does not wait for the disk: ``positions.save_redoable``).

Reading and encoding happen in this process (``reader="inline"``), in a child process
(``reader="process"``): kafka-python's send() and the encoding are both Python under the
GIL, so a second process lets them use two cores; or in the child while catching up and in
this process while following the head (``reader="adaptive"``, what ``lucy-events relay``
runs: throughput on a backlog, no extra hop for live events).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import structlog
from kafka import KafkaProducer
from kafka.partitioner.default import murmur2

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.relay_reader import AdaptiveReader, ProcessReader
from lucy_events.bus.relay_records import BatchReader, InlineReader, UnpublishableEvent
from lucy_events.bus.wakeups import Wakeup
from lucy_events.gc_pause import fewer_collections
from lucy_events.retries import relay_publishing
from lucy_events.sqldb import Database

__all__ = ["Relay", "UnpublishableEvent"]
log = structlog.get_logger()
RELAY = "relay"
LOG = ("log", 0)
#: Following the head, a read that comes after one that found less than a batch waits
#: until this long after it: under load each read then carries the events of several
#: saves (a NOTIFY each) instead of one, and a cycle's read, publish and position commit
#: are paid once for all of them (docs/benchmarks.md, Delivery, session 8). An event saved
#: while the relay idles is read at once.
FOLLOW_INTERVAL = 0.01


def next_read_at(last_read_at: float, last_count: int, batch_size: int,
                 interval: float) -> float:
    """When the relay's next read may start: at once after a full batch (a backlog),
    else ``interval`` after the last read started."""
    return last_read_at if last_count >= batch_size else last_read_at + interval


class Relay:
    def __init__(
        self, app: LucyApplication, db: Database, producer_factory: Callable[[], KafkaProducer],
        *, codec: AvroCodec | None = None, wakeup: Wakeup | None = None,
        batch_size: int = 1000, poll_timeout: float = 1.0,
        follow_interval: float = FOLLOW_INTERVAL,
        reader: Literal["inline", "process", "adaptive"] | BatchReader = "inline",
    ) -> None:
        self.app = app
        self.db = db
        self.producer_factory = producer_factory
        self.producer: KafkaProducer | None = None
        self.codec = codec or AvroCodec()
        keys_url = app.person_keys.url if app.person_keys is not None else None
        if reader == "inline":
            reader = InlineReader(app, self.codec)
        elif reader == "process":
            reader = ProcessReader(app.env, schemas=self.codec.registry.directory,
                                   keys_url=keys_url)
        elif reader == "adaptive":
            reader = AdaptiveReader(
                ProcessReader(app.env, schemas=self.codec.registry.directory,
                              keys_url=keys_url),
                InlineReader(app, self.codec))
        elif not isinstance(reader, BatchReader):
            raise ValueError(
                f"reader: 'inline', 'process', 'adaptive' or a BatchReader, not {reader!r}")
        self.reader = reader
        self._partitions: dict[tuple[str, bytes], int] = {}
        self._partition_counts: dict[str, int] = {}
        self.wakeup = wakeup or Wakeup()
        self.batch_size = batch_size
        self.poll_timeout = poll_timeout
        self.follow_interval = follow_interval
        with db.transaction() as tx:
            positions.create_table(tx)
            self.position = positions.load(tx, RELAY).get(LOG, 0)
        self.sent_up_to = self.position
        self._pending: tuple[list[Any], int] | None = None
        self.published = 0

    def publish_next(self) -> int:
        """Send the next batch and settle the previous one; returns how many events were
        sent. Preparing batch k+1 overlaps with the broker acknowledging batch k; the
        position moves only past acknowledged batches.

        Two batches' records and futures are alive at once: the garbage collector runs
        less often meanwhile (``gc_pause``; it took a fifth of this process's CPU)."""
        with fewer_collections():
            return self._publish_next()

    def _publish_next(self) -> int:
        try:
            batch = self.reader.read(self.sent_up_to, self.batch_size)
        except UnpublishableEvent:
            self.settle()  # what was sent before it counts; the relay stops here
            raise
        if not batch.records:
            self.settle()
            return 0
        if self.producer is None:
            self.producer = self.producer_factory()
        try:
            self._check_partition_counts()
            send, partition = self.producer.send, self._partition
            futures = [
                send(topic, key=key, value=value, headers=headers,
                     partition=partition(topic, key))
                for topic, key, value, headers in batch.records
            ]
            self._settle_pending()
        except Exception:
            self._fail()
            raise
        self._pending = (futures, batch.last)
        self.sent_up_to = batch.last
        return len(futures)

    def _partition(self, topic: str, key: bytes | None) -> int | None:
        """Kafka's default partition for the key, computed once per client: the producer
        would hash every record's key again (murmur2, in Python)."""
        if key is None:
            return None
        found = self._partitions.get((topic, key))
        if found is None:
            assert self.producer is not None
            ordered = sorted(self.producer.partitions_for(topic))  # as Kafka's default does
            if self._partition_counts.setdefault(topic, len(ordered)) != len(ordered):
                self._forget_partitions(topic)
                self._partition_counts[topic] = len(ordered)
            found = self._partitions[topic, key] = int(
                ordered[(murmur2(key) & 0x7FFFFFFF) % len(ordered)])
        return found

    def _check_partition_counts(self) -> None:
        """Forget the partitions of a topic whose partition count changed: looked up
        once a batch, not once a record (kafka-python builds a new set each time)."""
        assert self.producer is not None
        for topic, count in list(self._partition_counts.items()):
            if len(self.producer.partitions_for(topic)) != count:
                self._forget_partitions(topic)

    def _forget_partitions(self, topic: str) -> None:
        self._partitions = {k: p for k, p in self._partitions.items() if k[0] != topic}
        self._partition_counts.pop(topic, None)

    def settle(self) -> None:
        """Wait for everything sent to be acknowledged and store the position."""
        if self._pending is None:
            return
        try:
            assert self.producer is not None
            self.producer.flush()
            self._settle_pending()
        except Exception:
            self._fail()
            raise

    def _settle_pending(self) -> None:
        if self._pending is None:
            return
        futures, last = self._pending
        for future in futures:
            if not future.is_done:
                future.get(timeout=120)  # raises the broker's error for that record
            if future.exception is not None:
                raise future.exception  # the broker's error for that record
        with self.db.transaction() as tx:
            positions.save_redoable(tx, RELAY, {LOG: last})
        self.published += len(futures)
        self.position = last
        self._pending = None

    def _fail(self) -> None:
        """Forget what was sent but not acknowledged: it is sent again from the position."""
        self._pending = None
        self.sent_up_to = self.position
        self._discard_producer()  # a fresh producer after a failure: no stale state

    def close(self) -> None:
        """Stop producing and reading (the reader process too); unsettled records are
        sent again by the next relay, from the stored position."""
        self._discard_producer()
        self.reader.close()

    def _discard_producer(self) -> None:
        if self.producer is not None:
            try:
                self.producer.close(timeout=1)
            except Exception as error:  # closing a broken producer may fail too
                log.debug("closing a failed producer", error=repr(error))
            self.producer = None

    def lag(self) -> int:
        return max(0, (self.app.recorder.max_notification_id() or 0) - self.position)

    def run(self, stop: threading.Event) -> None:
        log.info("relay started", position=self.position)
        read_at, published = float("-inf"), self.batch_size
        # One policy for the whole run, each cycle iterating it afresh: building tenacity's
        # Retrying for every cycle took a tenth of a following relay's CPU.
        publishing = relay_publishing(stop)
        try:
            while not stop.is_set():
                pause = next_read_at(read_at, published, self.batch_size,
                                     self.follow_interval) - time.monotonic()
                if pause > 0 and stop.wait(pause):
                    break
                read_at, published = time.monotonic(), 0
                try:
                    for attempt in publishing:
                        with attempt:
                            published = self.publish_next()
                except Exception:
                    if stop.is_set():  # stopping while the broker or the database is away,
                        break  # or the reader was stopped too: resume from the position
                    raise
                if published:
                    log.debug("published", count=published, position=self.position)
                else:
                    self.wakeup.wait_or_stop(self.poll_timeout, stop)
        finally:
            self.close()
            self.wakeup.close()
            log.info("relay stopped", position=self.position, published=self.published)
