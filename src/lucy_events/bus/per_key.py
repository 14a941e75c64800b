"""Process a batch concurrently across keys, in order within each key.

Kafka only promises order per key (per client), so a handler whose work waits on the
network (deliveries) may handle different clients at once and one client's events one
after another. The batch counts as processed only when every key is done; the first
error is raised after all keys finished, so the runtime retries or parks as usual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import structlog

from lucy_events.bus.runtime import Delivery

log = structlog.get_logger()


class PerKey:
    def __init__(self, workers: int = 8) -> None:
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="per-key")

    def run(self, deliveries: Sequence[Delivery], handle: Callable[[Delivery], None]) -> None:
        groups: dict[bytes | None, list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            groups[delivery.key or delivery.event.key].append(delivery)
        if len(groups) <= 1 or self.workers <= 1:
            for delivery in deliveries:
                handle(delivery)
            return
        context = structlog.contextvars.get_contextvars()

        def in_order(group: list[Delivery]) -> None:
            structlog.contextvars.bind_contextvars(**context)
            for delivery in group:
                handle(delivery)

        futures = [self._pool.submit(in_order, group) for group in groups.values()]
        errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error
