"""The embedded default's source: the event store's notification log, read in-process.

Positions are notification ids (topic ``log``, partition 0). The application wakes the
source up when it saves, so in-process consumers see new events at once; otherwise it
polls at the poll timeout. Events are built straight from the stored JSON
(``stored_records``), through the mapper only when it must upcast them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from eventsourcing.utils import get_topic

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.catalogue import EVENT_CLASSES, TOPIC_OF
from lucy_events.bus.runtime import Batch, Position, Source, Undecodable, decoded_delivery
from lucy_events.bus.stored_records import stored_bus_event
from lucy_events.sqldb import Database

LOG_TOPIC = "log"
_tuple_new = tuple.__new__


class LogSource(Source):
    def __init__(
        self, app: LucyApplication, db: Database, consumer: str, topics: Iterable[str],
        wakeup: threading.Event | None = None,
    ) -> None:
        self.app = app
        self.db = db
        self.consumer = consumer
        wanted = set(topics)
        self.class_topics = [
            get_topic(cls) for name, cls in EVENT_CLASSES.items() if TOPIC_OF[name] in wanted
        ]
        self.wakeup = wakeup or app.subscribe_saved()
        with db.transaction() as tx:
            positions.create_table(tx)
            self.cursor = positions.load(tx, consumer).get((LOG_TOPIC, 0), 0)
        self.committed = self.cursor

    def poll(self, max_records: int, timeout: float) -> Batch:
        head, notifications = self._select(max_records)
        if not notifications:
            self.wakeup.wait(timeout)
            self.wakeup.clear()
            head, notifications = self._select(max_records)
        batch = Batch()
        # Ids commit in order, so a short page means every id up to the head read before
        # the query was seen: the consumer is that far even where nothing was for it.
        scanned = notifications[-1].id if notifications else self.cursor
        if len(notifications) < max_records:
            scanned = max(scanned, head)
        if scanned > self.committed:
            batch.scanned[(LOG_TOPIC, 0)] = scanned
        mapper, deliver = self.app.mapper, batch.deliveries.append
        for notification in notifications:
            # tuple.__new__ in C: a named tuple's own __new__ is a Python lambda.
            position = _tuple_new(Position, (LOG_TOPIC, 0, notification.id))
            try:
                event = stored_bus_event(notification, mapper)
            except Exception as error:  # a stored event this code cannot read
                batch.undecodable.append(Undecodable(position, notification.state, repr(error)))
            else:
                deliver(decoded_delivery(event, position, notification.state))
        self.cursor = max(self.cursor, scanned)
        return batch

    def _select(self, limit: int) -> tuple[int, list]:  # type: ignore[type-arg]
        head = self.app.recorder.max_notification_id() or 0
        return head, list(self.app.recorder.select_notifications(
            start=self.cursor + 1, limit=limit, topics=self.class_topics
        ))

    def commit(self, batch: Batch) -> None:
        last = batch.last_positions()
        with self.db.transaction() as tx:
            positions.save(tx, self.consumer, last)
        self.committed = max(self.committed, last.get((LOG_TOPIC, 0), 0))

    def lag(self) -> dict[tuple[str, int], int]:
        head = self.app.recorder.max_notification_id() or 0
        return {(LOG_TOPIC, 0): max(0, head - self.cursor)}
