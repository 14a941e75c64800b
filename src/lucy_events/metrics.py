"""What ``/metrics`` tells Prometheus, with ``prometheus_client``.

One ``Metrics`` per set of services, each with its own registry (never the global one),
so two apps in one process (tests) do not collide. Two kinds of figures:

- measured as work happens, in the process doing it: handler time per consumer, the
  delivery latency per package (from SendRequested to DocumentSent or SendFailed, the
  router's part of a send), and counters of deliveries by package and outcome and of the
  retries the delivery policy made;
- read at scrape time from where they are kept: the event store's head, every running
  consumer's position and lag (``bus.lag.LagReader``), messages parked in the store and
  on the ``.dlq`` topics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from lucy_events.bus.lag import LagReader
from lucy_events.bus.runtime import ConcurrentHandler, Delivery, Handler

log = structlog.get_logger()
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Seconds: a send takes milliseconds on a quiet package, minutes under its retry policy.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)


class Metrics:
    """The instruments of one set of services, on a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.handler_seconds = Histogram(
            "lucy_handler_seconds", "Time a consumer's handler took per batch.",
            ["consumer"], registry=self.registry)
        self.delivery_latency = Histogram(
            "lucy_delivery_latency_seconds",
            "From SendRequested to DocumentSent or SendFailed, per package.",
            ["package", "outcome"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.deliveries = Counter(
            "lucy_deliveries", "Deliveries by package and outcome "
            "(delivered, failed, rejected).", ["package", "outcome"], registry=self.registry)
        self.retries = Counter(
            "lucy_delivery_retries", "Delivery attempts the retry policy made again, "
            "per package.", ["package"], registry=self.registry)

    def delivered(self, package: str, outcome: str, seconds: float) -> None:
        """A delivery ended with ``outcome``, ``seconds`` after SendRequested."""
        self.deliveries.labels(package, outcome).inc()
        self.delivery_latency.labels(package, outcome).observe(max(0.0, seconds))

    def measured(self, handler: Handler) -> Handler:
        timer = self.handler_seconds.labels(handler.name)
        if isinstance(handler, ConcurrentHandler):  # timed per message, on its workers
            return MeasuredConcurrentHandler(handler, timer)
        return MeasuredHandler(handler, timer)

    def watch(self, collector: Collector) -> None:
        self.registry.register(collector)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MeasuredHandler(Handler):
    """A handler whose batches are timed; everything else is the wrapped handler's."""

    def __init__(self, handler: Handler, timer: Any) -> None:
        self.inner = handler
        self.name = handler.name
        self.topics = handler.topics
        self.latency_sensitive = handler.latency_sensitive
        self._timer = timer

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        with self._timer.time():
            self.inner.handle(deliveries)

    def position(self, topic: str, partition: int) -> int | None:
        return self.inner.position(topic, partition)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class MeasuredConcurrentHandler(ConcurrentHandler):
    """A concurrent handler (the router) whose messages are timed one by one: its
    batches overlap, so the time of a message is what it says."""

    def __init__(self, handler: ConcurrentHandler, timer: Any) -> None:
        self.inner = handler
        self.name, self.topics, self.workers = handler.name, handler.topics, handler.workers
        self.latency_sensitive = handler.latency_sensitive
        self._timer = timer

    def wants(self, delivery: Delivery) -> bool:
        return self.inner.wants(delivery)

    def key_of(self, delivery: Delivery) -> bytes | None:
        return self.inner.key_of(delivery)

    def handle_one(self, delivery: Delivery) -> None:
        with self._timer.time():
            self.inner.handle_one(delivery)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        with self._timer.time():
            self.inner.handle(deliveries)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class StoreCollector(Collector):
    """Figures read when Prometheus scrapes: head, lag and parked messages. A source that
    cannot be read (Kafka away) leaves its figures out and sets ``lucy_metrics_source_up``
    to 0 for it, instead of failing the whole scrape."""

    def __init__(self, head: Callable[[], int], lag: Callable[[], LagReader],
                 dead_letters: Callable[[], dict[str, int]],
                 dlq_topics: Callable[[], dict[str, int]] | None = None) -> None:
        self.head, self.lag, self.dead_letters, self.dlq_topics = (
            head, lag, dead_letters, dlq_topics)

    def describe(self) -> list[Metric]:
        return []  # figures are read at scrape time only

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("lucy_metrics_source_up",
                               "1 when the source of these figures could be read.",
                               labels=["source"])
        try:
            head = GaugeMetricFamily("lucy_event_store_head",
                                     "Notification id of the newest stored event.",
                                     value=self.head())
            yield head
            parked = GaugeMetricFamily("lucy_dead_letters",
                                       "Messages parked in the store, per consumer.",
                                       labels=["consumer"])
            for consumer, count in sorted(self.dead_letters().items()):
                parked.add_metric([consumer], count)
            yield parked
            up.add_metric(["store"], 1)
        except Exception as error:  # reported as down, with the reason in the log
            log.warning("metrics: the store cannot be read", error=repr(error))
            up.add_metric(["store"], 0)
        try:
            yield from self._lag()
            up.add_metric(["lag"], 1)
        except Exception as error:
            log.warning("metrics: consumer lag cannot be read", error=repr(error))
            up.add_metric(["lag"], 0)
        yield up

    def _lag(self) -> Iterator[Metric]:
        labels = ["consumer", "topic", "partition"]
        lag = GaugeMetricFamily("lucy_consumer_lag",
                                "Events a consumer (or the relay) has yet to process.",
                                labels=labels)
        position = GaugeMetricFamily("lucy_consumer_position",
                                     "Last position a consumer processed (Kafka: the next "
                                     "offset to read).", labels=labels)
        items = self.lag().read()
        for item in items:
            key = [item.consumer, item.topic, str(item.partition)]
            lag.add_metric(key, item.lag)
            position.add_metric(key, item.position)
        topics = self.dlq_topics() if self.dlq_topics is not None else {}
        yield lag
        yield position
        if topics:
            dlq = GaugeMetricFamily("lucy_dead_letter_topic_messages",
                                    "Messages parked on each .dlq topic.", labels=["topic"])
            for topic, count in sorted(topics.items()):
                dlq.add_metric([topic], count)
            yield dlq
