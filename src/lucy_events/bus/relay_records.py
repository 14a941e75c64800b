"""What the relay publishes: stored events read after a position and encoded as ready
Kafka records, by a reader in the relay's own process or in a child process
(``relay_reader.ProcessReader``).

A ready record is ``(topic, key, value, headers)``: the event Avro-encoded (Confluent
framing) onto its aggregate's topic, keyed by client id (the firm id for firm events), with
the headers ``event-type``, ``event-id`` and ``schema-id``. A stored event that cannot be
encoded stops the relay (``UnpublishableEvent``) right before it, once everything before it
was published: skipping it would leave a gap in its aggregate's versions that consumers
could not tell from a lost message. Ops fix the cause (a missing upcaster or schema) and
start the relay again; it resumes at that event.
"""

from __future__ import annotations

from typing import NamedTuple

import structlog
from eventsourcing.persistence import Notification

from lucy_events.application import LucyApplication
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPIC_OF
from lucy_events.bus.stored_records import stored_record
from lucy_events.gc_pause import fewer_collections

log = structlog.get_logger()


class UnpublishableEvent(Exception):
    """Raised when a stored event cannot be encoded for Kafka: the relay stops before it
    (nothing after it is published) until the cause, named in the message, is fixed."""

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
        """The batch after ``after``; it ends before an event that cannot be encoded, and
        a batch that would start with one raises ``UnpublishableEvent``. The garbage
        collector runs less often meanwhile (``gc_pause``): the batch's rows and records
        are all alive until it is sent."""
        with fewer_collections():
            return self._read(after, limit)

    def _read(self, after: int, limit: int) -> Batch:
        notifications = self.app.recorder.select_notifications(start=after + 1, limit=limit)
        if not notifications:
            return Batch(after, after, [])
        records: list[Ready] = []
        for index, notification in enumerate(notifications):
            try:
                records.append(self.record(notification))
            except UnpublishableEvent:
                if not records:
                    raise
                return Batch(after, notifications[index - 1].id, records)
        return Batch(after, notifications[-1].id, records)

    def record(self, notification: Notification) -> Ready:
        try:
            event_type, key, record = stored_record(notification, self.app.mapper)
            value = self.codec.encode_record(event_type, record)
        except Exception as error:
            raise UnpublishableEvent(
                f"stored event {notification.id} ({notification.topic}, aggregate "
                f"{notification.originator_id} version {notification.originator_version}) "
                f"cannot be encoded for Kafka: {error!r}. The relay stops before it so that "
                f"no aggregate has a gap in its versions; fix the cause (an upcaster, or a "
                f"schema in schemas/) and start the relay again") from error
        headers = [("event-type", self._type_names[event_type]),
                   ("event-id", record["envelope"]["event_id"].encode()),
                   ("schema-id", self._schema_ids[event_type])]
        return TOPIC_OF[event_type], key, value, headers

