"""The embedded default's source: the event store's notification log, read in-process.

Positions are notification ids (topic ``log``, partition 0). The application wakes the
source up when it saves, so in-process consumers see new events at once; otherwise it
polls at the poll timeout. Events are built straight from the stored JSON
(``stored_records``), through the mapper only when it must upcast them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from lucy_events.application import LucyApplication
from lucy_events.bus import positions
from lucy_events.bus.catalogue import EVENT_CLASSES, TOPIC_OF
from lucy_events.bus.runtime import Batch, Position, Source, Undecodable, decoded_delivery
from lucy_events.bus.stored_records import stored_bus_event
from lucy_events.bus.stored_views import StoredRow, stored_row
from lucy_events.sqldb import Database

LOG_TOPIC = "log"
Scanned = dict[tuple[str, int], int]
R = TypeVar("R", Notification, StoredRow)


def _id(found: Notification | StoredRow) -> int:
    return found.id if isinstance(found, Notification) else found[0]
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
        #: The log's head as the last read found it.
        self.head = 0

    def poll(self, max_records: int, timeout: float) -> Batch:
        return self.batch_of(*self.read(max_records, timeout))

    def read(self, max_records: int, timeout: float = 0) -> tuple[list[Notification], Scanned]:
        """The next stored events for this consumer, and how far the log was looked at
        (``Batch.scanned``); moves the cursor past them. ``poll`` makes a batch of them."""
        return self._read(self._select, max_records, timeout)

    def read_rows(self, max_records: int) -> tuple[list[StoredRow], Scanned]:
        """``read``, the events as the table holds them (``stored_views.StoredRow``), for
        a replay's views; without waiting."""
        return self._read(self._select_rows, max_records, 0)

    def _read(self, select: Callable[[int], tuple[int, list[R]]], max_records: int,
              timeout: float) -> tuple[list[R], Scanned]:
        head, found = select(max_records)
        if not found:
            self.wakeup.wait(timeout)
            self.wakeup.clear()
            head, found = select(max_records)
        self.head = max(self.head, head)
        scanned: Scanned = {}
        # Ids commit in order, so a short page means every id up to the head read before
        # the query was seen: the consumer is that far even where nothing was for it.
        last = _id(found[-1]) if found else self.cursor
        if len(found) < max_records:
            last = max(last, head)
        if last > self.committed:
            scanned[(LOG_TOPIC, 0)] = last
        self.cursor = max(self.cursor, last)
        return found, scanned

    def batch_of(self, notifications: Iterable[Notification], scanned: Scanned) -> Batch:
        """The deliveries of what ``read`` gave (an event this code cannot read among the
        undecodable)."""
        batch = Batch(scanned=scanned)
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
        return batch

    def _select(self, limit: int) -> tuple[int, list[Notification]]:
        head = self.app.recorder.max_notification_id() or 0
        return head, list(self.app.recorder.select_notifications(
            start=self.cursor + 1, limit=limit, topics=self.class_topics
        ))

    def _select_rows(self, limit: int) -> tuple[int, list[StoredRow]]:
        recorder = self.app.recorder
        head = recorder.max_notification_id() or 0
        select = getattr(recorder, "select_stored", None)
        if select is None:  # not PostgreSQL's recorder: the rows of its notifications
            return head, [stored_row(n) for n in recorder.select_notifications(
                start=self.cursor + 1, limit=limit, topics=self.class_topics)]
        return head, select(self.cursor + 1, limit, self.class_topics)

    def commit(self, batch: Batch) -> None:
        last = batch.last_positions()
        with self.db.transaction() as tx:
            positions.save(tx, self.consumer, last)
        self.committed = max(self.committed, last.get((LOG_TOPIC, 0), 0))

    def lag(self) -> dict[tuple[str, int], int]:
        head = self.app.recorder.max_notification_id() or 0
        return {(LOG_TOPIC, 0): max(0, head - self.cursor)}
