"""A PostgreSQL application recorder that saves in one round trip.

eventsourcing's recorder pipelines BEGIN, SET LOCAL, LOCK TABLE, NOTIFY, INSERT and COMMIT;
each save still waits on the server several times. This one calls a function that does
the same work inside a single statement (autocommit), so a save costs one round trip.

The table lock is kept on purpose: it makes notification ids commit in the order they are
assigned, so a follower of the notification log (the relay) never passes an id whose
transaction commits later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier


class OneTripPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        function = Identifier(f"lucy_insert_{events_table_name}")
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[]) "
                "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
                "BEGIN "
                "  SET LOCAL lock_timeout = '{lock_timeout}s'; "
                "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                "  NOTIFY {channel}; "
                "  RETURN QUERY INSERT INTO {schema}.{table} "
                "    (originator_id, originator_version, topic, state) "
                "    SELECT originator_id, originator_version, topic, state FROM unnest(events) "
                "    RETURNING notification_id; "
                "END; $BODY$"
            ).format(
                schema=schema, function=function, table=table,
                event=Identifier(self.stored_event_type_name),
                lock_timeout=self.datastore.lock_timeout,
                channel=Identifier(self.channel_name),
            )
        )
        self._call_insert = SQL("SELECT {schema}.{function}(%s) AS id").format(
            schema=schema, function=function
        )

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
