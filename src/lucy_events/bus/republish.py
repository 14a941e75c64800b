"""Publish stored events again: for an integrator who joins after the topics' start was
lost, or a topic that was deleted or recreated.

The records are the relay's own (``relay_records``: the same encoding, keys, partitions
and headers), sent with the relay's producer settings; only the relay's stored position is
left alone, so the live relay goes on as before. Consumers see the events a second time
and skip them by ``event-id`` (or aggregate version), as they do after any redelivery.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import structlog
from kafka import KafkaProducer

from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.relay_records import BatchReader

log = structlog.get_logger()


def republish(reader: BatchReader, producer_factory: Callable[[], KafkaProducer],
              start: int, *, topic: str | None = None, head: int,
              batch_size: int = 1000) -> Counter[str]:
    """Send the stored events from notification ``start`` up to ``head`` (inclusive),
    only ``topic``'s when given; returns how many went to each topic. Each batch is
    acknowledged (acks=all) before the next is read."""
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"--topic: {topic!r} is not an event topic; one of {', '.join(TOPICS)}")
    counts: Counter[str] = Counter()
    producer = producer_factory()
    try:
        after = start - 1
        while after < head:
            batch = reader.read(after, min(batch_size, head - after))
            if not batch.records:
                break
            futures = [producer.send(t, key=key, value=value, headers=headers)
                       for t, key, value, headers in batch.records if topic in (None, t)]
            producer.flush()
            for future in futures:
                future.get(timeout=120)  # raises the broker's error for that record
            counts.update(t for t, *_ in batch.records if topic in (None, t))
            after = batch.last
            log.info("republished", position=after, head=head, records=len(futures))
    finally:
        producer.close(timeout=10)
    return counts
