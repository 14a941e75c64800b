"""Failed authentications counted per address and per account, in the read database so
every process of the service counts together.

Past a limit of failures within a window, the key is blocked for a short while (429
with Retry-After): long enough to make guessing slow, short enough that the real person
behind a busy address, or an account someone else is guessing at, is back within a
minute. A successful sign-in clears its account's count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lucy_events.credential_tables import ensure_tables
from lucy_events.sqldb import Database, Transaction


@dataclass(frozen=True)
class Limit:
    """``failures`` allowed within ``window``; one more blocks the key for ``block``."""

    failures: int
    window: timedelta
    block: timedelta


#: Per client address (sign-in and bearer tokens): a whole office may share one address.
ADDRESS_LIMIT = Limit(50, timedelta(minutes=5), timedelta(minutes=1))
#: Per account (the e-mail address typed at sign-in).
ACCOUNT_LIMIT = Limit(10, timedelta(minutes=15), timedelta(minutes=1))


#: Longer than every window: a count this old no longer matters.
FORGET_AFTER = timedelta(days=1)


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def account_key(email: str) -> str:
    return f"account:{email.strip().casefold()}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AuthThrottle:
    def __init__(self, db: Database, limits: dict[str, Limit] | None = None,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.db = db
        self.limits = {"address": ADDRESS_LIMIT, "account": ACCOUNT_LIMIT, **(limits or {})}
        self.clock = clock

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Seconds until every one of ``keys`` may try again; None when none is blocked."""
        ensure_tables(self.db)
        wanted = list(keys)
        now = self.clock()
        names = ", ".join(f":k{i}" for i in range(len(wanted)))
        with self.db.transaction() as tx:
            rows = tx.execute(
                f"SELECT blocked_until FROM auth_failures WHERE throttle_key IN ({names}) "
                "AND blocked_until > :now",
                {"now": now.isoformat(), **{f"k{i}": key for i, key in enumerate(wanted)}})
        if not rows:
            return None
        until = max(datetime.fromisoformat(row[0]) for row in rows)
        return max(1, math.ceil((until - now).total_seconds()))

    def failed(self, keys: Iterable[str]) -> None:
        ensure_tables(self.db)
        now = self.clock()
        with self.db.transaction() as tx:
            # Counts past every window and block are forgotten, so guessing at made-up
            # addresses or accounts cannot grow the table without end.
            tx.execute("DELETE FROM auth_failures WHERE window_started_at < :old AND "
                       "(blocked_until IS NULL OR blocked_until < :now)",
                       {"old": (now - FORGET_AFTER).isoformat(), "now": now.isoformat()})
            for key in keys:
                self._count(tx, key, self.limits[key.split(":", 1)[0]])

    def succeeded(self, key: str) -> None:
        ensure_tables(self.db)
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM auth_failures WHERE throttle_key = :key", {"key": key})

    def _count(self, tx: Transaction, key: str, limit: Limit) -> None:
        now = self.clock()
        tx.execute("INSERT INTO auth_failures (throttle_key, failures, window_started_at) "
                   "VALUES (:key, 0, :now) ON CONFLICT (throttle_key) DO NOTHING",
                   {"key": key, "now": now.isoformat()})
        lock = " FOR UPDATE" if tx.dialect == "postgresql" else ""
        failures, started = tx.execute(
            "SELECT failures, window_started_at FROM auth_failures WHERE throttle_key = :key"
            + lock, {"key": key})[0]
        if now - datetime.fromisoformat(started) > limit.window:
            failures, started = 0, now.isoformat()
        failures += 1
        blocked = (now + limit.block).isoformat() if failures > limit.failures else None
        tx.execute("UPDATE auth_failures SET failures = :failures, window_started_at = "
                   ":started, blocked_until = COALESCE(:blocked, blocked_until) "
                   "WHERE throttle_key = :key",
                   {"key": key, "failures": 0 if blocked else failures, "started": started,
                    "blocked": blocked})
