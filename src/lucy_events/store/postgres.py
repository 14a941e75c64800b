"""A PostgreSQL application recorder that saves in one round trip and reads fast.

eventsourcing's recorder pipelines BEGIN, SET LOCAL, LOCK TABLE, NOTIFY, INSERT and COMMIT;
each save still waits on the server several times. This one calls a function that does
the same work inside a single statement (autocommit), so a save costs one round trip.

Reading the notification log (the relay's and the in-process consumers' hot path) uses
tuple rows in binary format, about three times cheaper per row than dict rows in text.

The table lock is kept on purpose: it makes notification ids commit in the order they are
assigned, so a follower of the notification log (the relay) never passes an id whose
transaction commits later. The same function extends the audit hash chain under that lock
(``postgres_chain``), so the chain is in commit order too.

Processes of one deployment (API, relay, router, projector) start together and each
creates the schema if it is missing. PostgreSQL's catalogue does not take concurrent
``CREATE OR REPLACE FUNCTION`` or ``CREATE TYPE`` ("tuple concurrently updated", a
duplicate type name), so creation holds an advisory lock and is retried by a named policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composable, Identifier

from lucy_events.retries import schema_creating
from lucy_events.store.postgres_chain import CHAIN_BODY, PostgresChain

#: pg_advisory_xact_lock key held while the event store's schema is created.
SCHEMA_LOCK = 0x6C75_6379_0001


class OneTripPostgresApplicationRecorder(PostgresChain, PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        function = Identifier(f"lucy_insert_{events_table_name}")
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        self.sql_create_statements.extend(self.chain_create_statements())
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[]) "
                "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
                "DECLARE prev bytea; r record; "
                "BEGIN "
                "  SET LOCAL lock_timeout = '{lock_timeout}s'; "
                "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                "  NOTIFY {channel}; "
                + CHAIN_BODY +
                "END; $BODY$"
            ).format(
                function=function, event=Identifier(self.stored_event_type_name),
                lock_timeout=self.datastore.lock_timeout,
                channel=Identifier(self.channel_name), **self.chain_tables(),
            )
        )
        self._call_insert = SQL("SELECT {schema}.{function}(%s) AS id").format(
            schema=schema, function=function
        )
        self._select = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table}"
        ).format(schema=schema, table=table)
        self._select_stored = SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id >= %s AND topic = ANY(%s) "
            "ORDER BY notification_id LIMIT %s"
        ).format(schema=schema, table=table)

    def create_table(self) -> None:
        for attempt in schema_creating():
            with attempt:
                super().create_table()

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,), prepare=False)
        super()._create_table(curs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if kwargs.get("tracking") is not None:  # process applications keep the base path
            return super().insert_events(stored_events, **kwargs)
        if not stored_events:
            return []
        rows = [
            self.construct_pg_stored_event(
                e.originator_id, e.originator_version, e.topic, e.state
            )
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(self._call_insert, (rows,), prepare=True)
            return [row["id"] for row in cursor.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(
        self, start: int | None, limit: int, stop: int | None = None,
        topics: Sequence[str] = (), *, inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        conditions: list[Composable] = []
        params: list[Any] = []
        if start is not None:
            conditions.append(SQL("notification_id >= %s" if inclusive_of_start
                                  else "notification_id > %s"))
            params.append(start)
        if stop is not None:
            conditions.append(SQL("notification_id <= %s"))
            params.append(stop)
        if topics:
            conditions.append(SQL("topic = ANY(%s)"))
            params.append(list(topics))
        statement = self._select
        if conditions:
            statement += SQL(" WHERE ") + SQL(" AND ").join(conditions)
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor(
            binary=True, row_factory=tuple_row
        ) as cursor:
            cursor.execute(statement, params, prepare=True)
            return [_notification(*row) for row in cursor.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_stored(
        self, start: int, limit: int, topics: Sequence[str]
    ) -> list[tuple[int, str, int, str, bytes]]:
        """``select_notifications(start, limit, topics=topics)`` as the rows are stored,
        the originator id as text: what a replay's views are made of
        (``bus.stored_views``). A Notification and a UUID an event cost twice the query.

        Read in the order of the notification id's index, never sorted: misled by the
        topics' statistics (a store whose last ANALYZE saw few of a read model's events),
        the planner sorted every batch out of the whole rest of the log, a tenth of a
        second a batch (a documents rebuild waited on it for half its time;
        docs/benchmarks.md, Read-model rebuild, session 10)."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor(
            binary=True, row_factory=tuple_row
        ) as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(self._select_stored, (start, list(topics), limit), prepare=True)
            return cursor.fetchall()

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events_of(self, originator_ids: Sequence[UUID]) -> list[Notification]:
        """The stored events of many aggregates in one query (a client's documents, for its
        history), in notification order, so each aggregate's in version order (the table
        lock makes notification order the commit order); with their notification ids (the
        history decodes them as the bus does, from notifications).

        Put in order here, not by the server: a client's 50,000 events are tens of
        megabytes, more than ``work_mem``, and PostgreSQL's sort spilled them to disk
        (0.15 s of a 0.4 s read); the rows come nearly in order already."""
        statement = self._select + SQL(" WHERE originator_id = ANY(%s)")
        with self.datastore.get_connection() as conn, conn.cursor(
            binary=True, row_factory=tuple_row
        ) as cursor:
            cursor.execute(statement, (list(originator_ids),), prepare=True)
            rows = cursor.fetchall()
        rows.sort(key=_FIRST)
        return [_notification(*row) for row in rows]


_FIRST = itemgetter(0)
_new = object.__new__
_set = object.__setattr__


def _notification(nid: int, oid: UUID, version: int, topic: str, state: Any) -> Notification:
    """``Notification(...)`` of a selected row, filled in as eventsourcing's mapper fills
    domain events: the frozen dataclass's __init__ (a setattr a field) cost a third of a
    read of the log (the history's, a replay's)."""
    notification = _new(Notification)
    _set(notification, "__dict__", {
        "originator_id": oid, "originator_version": version, "topic": topic,
        "state": bytes(state), "id": nid})
    return notification
