"""Helpers for tests of the bus: a recording projection and a topic reader."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.faults import InvalidMessage
from lucy_events.bus.records import BusEvent
from lucy_events.bus.tracked import TrackedHandler
from lucy_events.sqldb import Database, Transaction


class RecordingProjection(TrackedHandler):
    """Keeps one row per event id: applying an event twice has no second effect, which is
    what every real projection must guarantee too (the relay may publish an event twice)."""

    topics = TOPICS

    def __init__(self, db: Database, name: str = "recorder") -> None:
        super().__init__(db)
        self.name = name
        self.table = f"applied_{name}"
        #: event ids refused as invalid (parked at once)
        self.fail_on: set[str] = set()
        #: how many times to crash on a bug (an error of the code, not of the message)
        self.bugs = 0

    def create_tables(self, tx: Transaction) -> None:
        tx.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (event_id TEXT PRIMARY KEY, "
                   "type TEXT, client_id TEXT, notification_id BIGINT)")

    def apply(self, tx: Transaction, events: Sequence[BusEvent]) -> None:
        if self.bugs > 0:
            self.bugs -= 1
            raise KeyError("a bug in the projection")
        for event in events:
            if event.event_id in self.fail_on:
                raise InvalidMessage(f"cannot apply {event.event_id}")
        tx.executemany(
            f"INSERT INTO {self.table} (event_id, type, client_id, notification_id) "
            "VALUES (:event_id, :type, :client_id, :notification_id) ON CONFLICT DO NOTHING",
            [{"event_id": e.event_id, "type": e.type, "client_id": str(e.client_id),
              "notification_id": e.notification_id} for e in events],
        )

    def rows(self) -> list[tuple[Any, ...]]:
        self.ensure_tables()
        with self.db.transaction() as tx:
            return tx.execute(f"SELECT event_id, type, client_id, notification_id "
                              f"FROM {self.table} ORDER BY notification_id")


def read_topics(bootstrap: str, topics: Sequence[str], expect: int, timeout: float = 30) -> list:
    """Every record of the topics (from the beginning), once ``expect`` arrived."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    partitions = [TopicPartition(t, p) for t in topics
                  for p in sorted(consumer.partitions_for_topic(t) or [])]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    records: list = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expect and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
    finally:
        consumer.close()
    return records
