"""Idempotency keys: a retried request answered with the first answer, not done twice.

A client that did not hear the answer to an upload (a timeout, a dropped connection)
sends it again with the same ``Idempotency-Key``; it gets the status and body of the
first attempt and no second document. The key is the firm's (two firms may use the same
one); with it the request's fingerprint is kept, and the same key with another request
is refused. Like access tokens, these rows are operational state in the read-side
database, not business events. A key is remembered for a day.

Two identical requests at the same moment: the first claims the key (an insert that
only one of them wins, on SQLite and PostgreSQL alike), the other waits for its answer
(``WAIT_FOR_FIRST_ANSWER``) and returns it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from tenacity import RetryError, Retrying, retry_if_result, stop_after_delay, wait_fixed

from lucy_events.sqldb import Database, Transaction, ensure_schema

KEEP_FOR = timedelta(hours=24)
SCHEMA = """CREATE TABLE IF NOT EXISTS idempotent_requests (
    firm_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    claim TEXT NOT NULL, status INTEGER, body TEXT, headers TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (firm_id, idempotency_key))"""

#: While the first request with a key is still running, a second one looks again every
#: 50 ms, for 30 s at most (an upload of the largest file takes well under that).
WAIT_FOR_FIRST_ANSWER = Retrying(
    retry=retry_if_result(lambda found: found is None),
    stop=stop_after_delay(30),
    wait=wait_fixed(0.05),
)


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Claimed:
    """This request holds the key: run it, then ``complete`` (or ``release``) it."""

    claim: str


@dataclass(frozen=True)
class Replayed:
    answer: Answer


class KeyReused(Exception):
    """Raised when a key comes back with a different request than its first."""


class StillRunning(Exception):
    """Raised when the first request with the key did not answer in time."""


class IdempotentRequests:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _tables(self) -> None:
        ensure_schema(self.db, "idempotent_requests", [
            SCHEMA, "CREATE INDEX IF NOT EXISTS ix_idempotent_requests_created "
                    "ON idempotent_requests (created_at)"])

    def claim(self, firm_id: UUID, key: str, fingerprint: str,
              now: datetime | None = None) -> Claimed | Replayed:
        """Hold the key, or the first answer given under it (waiting for it if needed);
        ``KeyReused`` when it was first used for another request."""
        self._tables()
        now = now or datetime.now(UTC)
        mine = secrets.token_hex(16)
        ids = {"firm": str(firm_id), "key": key}
        with self.db.transaction() as tx:
            # Forget what is older than a day (this key's old use too), as keys come in.
            tx.execute("DELETE FROM idempotent_requests WHERE created_at < :expired",
                       {"expired": (now - KEEP_FOR).isoformat()})
            _insert(tx, ids, fingerprint, mine, now)
        try:
            found = WAIT_FOR_FIRST_ANSWER.copy()(self._settled, ids, fingerprint, mine)
        except RetryError:
            raise StillRunning("the first request with this key has not answered yet; "
                               "try again shortly") from None
        assert found is not None
        return found

    def _settled(self, ids: dict[str, str], fingerprint: str, mine: str
                 ) -> Claimed | Replayed | None:
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT fingerprint, claim, status, body, headers FROM idempotent_requests "
                "WHERE firm_id = :firm AND idempotency_key = :key", ids)
        if not rows:  # the first one failed and let go of the key: take it
            with self.db.transaction() as tx:
                _insert(tx, ids, fingerprint, mine, datetime.now(UTC))
            return None
        stored, claim, status, body, headers = rows[0]
        if stored != fingerprint:
            raise KeyReused("this Idempotency-Key was already used for a different request")
        if claim == mine and status is None:
            return Claimed(mine)
        if status is None:
            return None
        return Replayed(Answer(int(status), json.loads(body), json.loads(headers)))

    def complete(self, firm_id: UUID, key: str, claimed: Claimed, answer: Answer) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE idempotent_requests SET status = :status, body = :body, "
                "headers = :headers WHERE firm_id = :firm AND idempotency_key = :key "
                "AND claim = :claim",
                {"firm": str(firm_id), "key": key, "claim": claimed.claim,
                 "status": answer.status, "body": json.dumps(answer.body),
                 "headers": json.dumps(answer.headers)})

    def release(self, firm_id: UUID, key: str, claimed: Claimed) -> None:
        """The request failed without an answer worth repeating: a retry runs it again."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM idempotent_requests WHERE firm_id = :firm AND "
                       "idempotency_key = :key AND claim = :claim",
                       {"firm": str(firm_id), "key": key, "claim": claimed.claim})


def _insert(tx: Transaction, ids: dict[str, str], fingerprint: str, claim: str,
            now: datetime) -> None:
    """Claim the key unless someone holds it (only one of two racing inserts wins)."""
    tx.execute(
        "INSERT INTO idempotent_requests (firm_id, idempotency_key, fingerprint, claim, "
        "created_at) VALUES (:firm, :key, :fingerprint, :claim, :now) "
        "ON CONFLICT (firm_id, idempotency_key) DO NOTHING",
        {**ids, "fingerprint": fingerprint, "claim": claim, "now": now.isoformat()})
