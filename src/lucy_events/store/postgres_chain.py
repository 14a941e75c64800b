"""The hash chain's tables and queries on PostgreSQL (see ``lucy_events.audit.links``).

The chain is written by the store's insert function, in the same statement as the events
and under the same table lock: the links are computed in notification order, which the
lock makes the commit order, so no writer can fork the chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from lucy_events.audit.links import Checkpoint, StoredRow

#: The plpgsql body's chaining part: ``prev`` is the head before, ``r`` each new row.
CHAIN_BODY = (
    "  SELECT hash INTO prev FROM {schema}.{chain} ORDER BY notification_id DESC LIMIT 1; "
    "  IF prev IS NULL THEN prev := decode(repeat('00', 32), 'hex'); END IF; "
    "  FOR r IN WITH inserted AS ("
    "    INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
    "    SELECT originator_id, originator_version, topic, state FROM unnest(events) "
    "    RETURNING notification_id, originator_id, originator_version, topic, state) "
    "    SELECT * FROM inserted ORDER BY notification_id LOOP "
    "    prev := sha256(prev || int8send(r.notification_id) || uuid_send(r.originator_id) "
    "      || int8send(r.originator_version) "
    "      || int4send(octet_length(convert_to(r.topic, 'UTF8'))) "
    "      || convert_to(r.topic, 'UTF8') || r.state); "
    "    INSERT INTO {schema}.{chain} (notification_id, hash) VALUES (r.notification_id, prev); "
    "    RETURN NEXT r.notification_id; "
    "  END LOOP; "
    "  RETURN; "
)


class PostgresChain:
    """Reads the chain and records checkpoints; mixed into the recorder."""

    datastore: Any
    events_table_name: str

    def chain_tables(self) -> dict[str, Identifier]:
        return {
            "schema": Identifier(self.datastore.schema),
            "table": Identifier(self.events_table_name),
            "chain": Identifier(f"{self.events_table_name}_chain"),
            "checkpoints": Identifier(f"{self.events_table_name}_checkpoints"),
        }

    def chain_create_statements(self) -> list[Composed]:
        return [
            SQL("CREATE TABLE IF NOT EXISTS {schema}.{chain} (notification_id bigint "
                "PRIMARY KEY, hash bytea NOT NULL)").format(**self.chain_tables()),
            SQL("CREATE TABLE IF NOT EXISTS {schema}.{checkpoints} (position bigint PRIMARY "
                "KEY, hash bytea NOT NULL, taken_at timestamptz NOT NULL DEFAULT now())"
                ).format(**self.chain_tables()),
        ]

    def _rows(self, statement: Composed, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.datastore.get_connection() as conn, conn.cursor(
            binary=True, row_factory=tuple_row
        ) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    def chain_events(self, after: int, limit: int) -> list[StoredRow]:
        rows = self._rows(SQL(
            "SELECT notification_id, uuid_send(originator_id), originator_version, topic, "
            "state FROM "
            "{schema}.{table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(**self.chain_tables()), (after, limit))
        return [StoredRow._make(row) for row in rows]

    def chain_links(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        rows = self._rows(SQL(
            "SELECT notification_id, hash FROM {schema}.{chain} WHERE notification_id > %s "
            "ORDER BY notification_id LIMIT %s").format(**self.chain_tables()), (after, limit))
        return [(n, bytes(h)) for n, h in rows]

    def chain_head(self) -> Checkpoint | None:
        rows = self._rows(SQL(
            "SELECT notification_id, hash FROM {schema}.{chain} ORDER BY notification_id "
            "DESC LIMIT 1").format(**self.chain_tables()), ())
        return Checkpoint(rows[0][0], bytes(rows[0][1])) if rows else None

    def record_checkpoint(self, checkpoint: Checkpoint) -> None:
        with self.datastore.get_connection() as conn:
            conn.execute(SQL(
                "INSERT INTO {schema}.{checkpoints} (position, hash) VALUES (%s, %s) "
                "ON CONFLICT (position) DO NOTHING").format(**self.chain_tables()),
                (checkpoint.position, checkpoint.hash))

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._rows(SQL("SELECT position, hash FROM {schema}.{checkpoints} ORDER BY "
                              "position").format(**self.chain_tables()), ())
        return [Checkpoint(p, bytes(h)) for p, h in rows]
