"""Calls per minute to one remote account (an Exact Online division), kept under its
limit before the remote has to say no.

A token bucket per key (``rate`` calls per ``per`` seconds, bursting up to ``rate``),
plus the remote's own word: once it reports no calls left until a reset time, nobody
calls before then. A caller waits at most ``max_wait`` seconds; a longer wait becomes a
``TransientDeliveryError`` whose ``retry_after`` says when to come back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from lucy_events.routers.integrations.base import TransientDeliveryError


@dataclass
class _Bucket:
    tokens: float
    updated: float
    closed_until: float = 0.0


class RateLimiter:
    def __init__(
        self, rate: int = 60, per: float = 60.0, *, max_wait: float = 10.0,
        clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Wall-clock seconds, because the remote states its reset as an epoch time.
        self.rate = rate
        self.per = per
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> None:
        """Take one call for ``key``, waiting (boundedly) until one is free."""
        with self._lock:
            now = self.clock()
            bucket = self._refill(key, now)
            wait = max((1 - bucket.tokens) * self.per / self.rate, bucket.closed_until - now)
            if wait > self.max_wait:
                raise TransientDeliveryError(
                    f"rate limit of {key} reached", retry_after=round(wait, 3))
            # Reserve the call now, so callers that wait concurrently queue up behind it.
            bucket.tokens -= 1
        if wait > 0:
            self.sleep(wait)

    def closed_until(self, key: str, until: float) -> None:
        """The remote said no calls are left before ``until`` (epoch seconds)."""
        with self._lock:
            bucket = self._refill(key, self.clock())
            bucket.closed_until = max(bucket.closed_until, until)

    def _refill(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=float(self.rate), updated=now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(float(self.rate), bucket.tokens + elapsed * self.rate / self.per)
        bucket.updated = now
        return bucket
