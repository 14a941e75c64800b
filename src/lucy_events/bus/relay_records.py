"""What the relay publishes: stored events read after a position and encoded as ready
Kafka records, by a reader in the relay's own process or in a child process
(``relay_reader.ProcessReader``).

A ready record is ``(topic, key, value, headers)``: the event Avro-encoded (Confluent
framing) onto its aggregate's topic, keyed by client id (the firm id for firm events), with
the headers ``event-type``, ``event-id`` and ``schema-id``. A stored event that cannot be
encoded is parked, never dropped: its stored state goes to ``UNPUBLISHABLE_TOPIC`` with the
error and its notification id in the headers.
"""

from __future__ import annotations

from typing import NamedTuple

import structlog
from eventsourcing.persistence import Notification

from lucy_events.application import LucyApplication
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPIC_OF
from lucy_events.bus.stored_records import stored_record

log = structlog.get_logger()
UNPUBLISHABLE_TOPIC = "lucy.unpublishable.dlq"

Headers = list[tuple[str, bytes]]
#: (topic, key, value, headers): plain str, bytes and lists, cheap to pickle.
Ready = tuple[str, bytes | None, bytes, Headers]


class Batch(NamedTuple):
    """The records of the notifications after ``after`` up to ``last`` (inclusive);
    empty, with ``last == after``, when there were none."""

    after: int
    last: int
    records: list[Ready]


class BatchReader:
    """Where the relay gets its batches of ready records."""

    def read(self, after: int, limit: int) -> Batch:
        """The next batch of up to ``limit`` records after notification ``after``."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class InlineReader(BatchReader):
    """Reads and encodes in the calling thread."""

    def __init__(self, app: LucyApplication, codec: AvroCodec) -> None:
        self.app = app
        self.codec = codec
        self._schema_ids = {t: str(codec.schema_id(t)).encode() for t in TOPIC_OF}
        self._type_names = {t: t.encode() for t in TOPIC_OF}

    def read(self, after: int, limit: int) -> Batch:
        notifications = self.app.recorder.select_notifications(start=after + 1, limit=limit)
        if not notifications:
            return Batch(after, after, [])
        return Batch(after, notifications[-1].id, list(map(self.record, notifications)))

    def record(self, notification: Notification) -> Ready:
        try:
            event_type, key, record = stored_record(notification, self.app.mapper)
            value = self.codec.encode_record(event_type, record)
        except Exception as error:  # parked, never dropped: ops see it on the DLQ topic
            log.error("stored event cannot be published; parked",
                      notification_id=notification.id, error=repr(error))
            return UNPUBLISHABLE_TOPIC, None, notification.state, [
                ("dlq-error", repr(error).encode()),
                ("notification-id", str(notification.id).encode()),
            ]
        headers = [("event-type", self._type_names[event_type]),
                   ("event-id", record["envelope"]["event_id"].encode()),
                   ("schema-id", self._schema_ids[event_type])]
        return TOPIC_OF[event_type], key, value, headers

