"""The relay: follows the event store's notification log and publishes it to Kafka.

Each event is Avro-encoded (Confluent framing) onto its aggregate's topic, keyed by
client id, with the headers ``event-type``, ``event-id`` and ``schema-id``; the producer
is idempotent with acks=all. The relay's position (last published notification id) is
stored only after the broker acknowledged the whole batch, so a restart resumes with no
gap (and at worst publishes the last batch again: delivery is at least once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from kafka import KafkaProducer
from kafka.errors import KafkaError

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.records import BusEvent
from lucy_events.bus.wakeups import Wakeup
from lucy_events.retries import relay_publishing
from lucy_events.sqldb import Database

log = structlog.get_logger()
RELAY = "relay"
LOG = ("log", 0)
UNPUBLISHABLE_TOPIC = "lucy.unpublishable.dlq"


class Relay:
    def __init__(
        self, app: LucyApplication, db: Database, producer_factory: Callable[[], KafkaProducer],
        *, codec: AvroCodec | None = None, wakeup: Wakeup | None = None,
        batch_size: int = 1000, poll_timeout: float = 1.0,
    ) -> None:
        self.app = app
        self.db = db
        self.producer_factory = producer_factory
        self.producer: KafkaProducer | None = None
        self.codec = codec or AvroCodec()
        self.wakeup = wakeup or Wakeup()
        self.batch_size = batch_size
        self.poll_timeout = poll_timeout
        with db.transaction() as tx:
            positions.create_table(tx)
            self.position = positions.load(tx, RELAY).get(LOG, 0)
        self.published = 0

    def _record(self, notification: Any) -> tuple[str, bytes | None, bytes, list[Any]]:
        try:
            event = BusEvent.from_domain(self.app.mapper.to_domain_event(notification),
                                         notification.id)
            value = self.codec.encode(event)
        except Exception as error:  # parked, never dropped: ops see it on the DLQ topic
            log.error("stored event cannot be published; parked",
                      notification_id=notification.id, error=repr(error))
            return UNPUBLISHABLE_TOPIC, None, notification.state, [
                ("dlq-error", repr(error).encode()),
                ("notification-id", str(notification.id).encode()),
            ]
        headers = [("event-type", event.type.encode()), ("event-id", event.event_id.encode()),
                   ("schema-id", str(self.codec.schema_id(event.type)).encode())]
        return event.topic, event.key, value, headers

    def publish_next(self) -> int:
        """Publish the next batch; returns how many events were published."""
        notifications = self.app.recorder.select_notifications(
            start=self.position + 1, limit=self.batch_size
        )
        if not notifications:
            return 0
        if self.producer is None:
            self.producer = self.producer_factory()
        try:
            futures = [self.producer.send(topic, key=key, value=value, headers=headers)
                       for topic, key, value, headers in map(self._record, notifications)]
            self.producer.flush()
            for future in futures:
                future.get(timeout=0)  # raises the broker's error for that record
        except Exception:
            self._discard_producer()  # a fresh producer after a failure: no stale state
            raise
        last = notifications[-1].id
        with self.db.transaction() as tx:
            positions.save(tx, RELAY, {LOG: last})
        self.position = last
        self.published += len(notifications)
        return len(notifications)

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
        try:
            while not stop.is_set():
                published = 0
                try:
                    for attempt in relay_publishing(stop):
                        with attempt:
                            published = self.publish_next()
                except KafkaError:
                    if stop.is_set():
                        break  # stopping while the broker is away: resume from the position
                    raise
                if published:
                    log.debug("published", count=published, position=self.position)
                else:
                    self.wakeup.wait_or_stop(self.poll_timeout, stop)
        finally:
            self._discard_producer()
            self.wakeup.close()
            log.info("relay stopped", position=self.position, published=self.published)
