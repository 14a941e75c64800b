"""Stress reproduction of delivery session 7's stall: the router's group member (fetch wait
100 ms) read nothing for minutes while records were produced (docs/kafka-broker-notes.md,
"Fetch wait"). A development tool, not a benchmark: no ratio, not in ``make bench``.

Each cycle has one delivery bench run's shape: a fresh tansu, a topic of 3 partitions, a
backlog produced before the consumers start, then three consumer groups in one process
through the production ConsumerRunner / ConsumerRuntime / KafkaSource / Pipelined (a
router-like ConcurrentHandler with the short fetch wait and 8 workers, each message a
10-40 ms wait; two batch handlers at the default wait, as auto-send (a group of its own
until session 13) and the multisender), and a keyed producer whose rate changes every
3-15 s between 40 and 150 records/s.
``--hogs N`` runs N busy processes through the steady phase (the bench's saturated cores).

Every produced record is timed from its ack; a record not handled by the router-like
consumer STALL_S after its ack is a stall: the consumer's internals (subscription state,
fetcher, connections, coordinator, the pipelined loop) and its last kafka-python debug
lines are printed. Each cycle prints produced -> handled latency (from ``send()``, so
producer delays count) and the oldest unhandled record's age seen.

Heavy with --hogs: run it under the bench lock in chunks of at most three minutes:
  flock /work/wt/bench.lock env PYTHONPATH=src python bench/fetch_stall.py \
      --minutes 1.2 --cycle 55 --backlog 2500 --hogs 2
"""

from __future__ import annotations

import argparse
import collections
import logging
import random
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from lucy_events.bootstrap import kafka_producer, kafka_source
from lucy_events.bus.runner import Consumer, ConsumerRunner
from lucy_events.bus.runtime import (
    ConcurrentHandler,
    ConsumerRuntime,
    DeadLetters,
    Delivery,
    Handler,
)
from lucy_events.bus.status import ConsumerStatuses
from lucy_events.testing.tansu import TansuBroker

TOPIC = "documents"
PARTITIONS = 3
STALL_S = 5.0


class Ring(logging.Handler):
    """The last kafka-python debug lines, kept in memory (dumped on a stall)."""

    def __init__(self, size: int = 4000) -> None:
        super().__init__(logging.DEBUG)
        self.lines: collections.deque[logging.LogRecord] = collections.deque(maxlen=size)

    def dump(self, last: int) -> str:
        out = []
        for r in list(self.lines)[-last:]:
            try:
                out.append(f"{r.created:.3f} {r.threadName} {r.name} {r.levelname} "
                           f"{r.getMessage()[:300]}")
            except Exception as error:
                out.append(repr(error))
        return "\n".join(out)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record)  # formatted only when dumped


RING = Ring()


class NoParking(DeadLetters):
    def park_undecodable(self, item, consumer):  # type: ignore[no-untyped-def]
        raise AssertionError(f"undecodable {item}")

    def park_failed(self, delivery, error, consumer):  # type: ignore[no-untyped-def]
        raise AssertionError(f"failed {delivery} {error}")


class Router(ConcurrentHandler):
    """Like the router: 8 workers, each message a wait of 10-40 ms (a delivery)."""

    name = "router"
    topics = (TOPIC,)

    def __init__(self, consumed: dict[int, int], lat: list[float]) -> None:
        self.consumed, self.lat = consumed, lat
        self.lock = threading.Lock()
        self.unhandled: dict[tuple[int, int], float] = {}
        self.polled_at: dict[int, float] = {}
        self.early: set[tuple[int, int]] = set()

    def handle_one(self, delivery: Delivery) -> None:
        time.sleep(random.uniform(0.01, 0.04))
        sent = float(delivery.payload.split(b" ", 1)[0])
        with self.lock:
            p = delivery.position.partition
            self.consumed[p] = max(self.consumed.get(p, -1), delivery.position.offset)
            if self.unhandled.pop((p, delivery.position.offset), None) is None:
                self.early.add((p, delivery.position.offset))
            self.lat.append(time.time() - sent)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            self.handle_one(d)


class Other(Handler):
    """Like auto-send and the multisender: reads every message, does nothing."""

    topics = (TOPIC,)

    def __init__(self, name: str) -> None:
        self.name = name

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        return None


def internals(runtime: ConsumerRuntime) -> str:
    consumer = runtime.source.consumer  # type: ignore[attr-defined]
    fetcher, subs = consumer._fetcher, consumer._subscription
    lines = [f"assignment {sorted(map(str, consumer.assignment()))}"]
    for tp, state in subs.assignment.items():
        lines.append(
            f"  {tp}: position {state.position} fetchable {state.is_fetchable()} "
            f"paused {state.paused} awaiting_validation {state.awaiting_validation} "
            f"awaiting_reset {state.awaiting_reset} highwater {state.highwater} "
            f"pending_revocation {state._pending_revocation}")
    lines.append(f"nodes_with_pending_fetch {fetcher._nodes_with_pending_fetch_requests}")
    futures = [(f.is_done, f.succeeded() if f.is_done else None)
               for f in list(fetcher._fetch_futures)]
    lines.append(f"fetch_futures {futures}")
    lines.append(f"completed_fetches {len(fetcher._completed_fetches)} next_partition_records "
                 f"{fetcher._next_partition_records}")
    manager = consumer._manager
    for node, conn in list(manager._conns.items()):
        waiting = [(c, round(time.monotonic() - sent, 2))
                   for c, _f, sent, _t, _x in list(conn.in_flight_requests)]
        lines.append(f"conn {node}: connected {conn.connected} paused {conn.paused} "
                     f"in_flight (correlation id, s) {waiting}")
    coord = consumer._coordinator
    lines.append(f"coordinator {coord.coordinator_id} state {getattr(coord, 'state', '?')} "
                 f"generation {getattr(coord, '_generation', '?')} "
                 f"need_rejoin {coord.need_rejoin()}")
    pipelined = runtime._pipelined
    if pipelined is not None:
        lines.append(f"pipelined in_flight {len(pipelined.in_flight)} running {pipelined._running} "
                     f"keys queued {sorted((k, len(v)) for k, v in pipelined._keys.items())} "
                     f"outcomes {pipelined._outcomes.qsize()}")
    return "\n".join(lines)


def cycle(args: argparse.Namespace, n: int) -> bool:
    """One bench-shaped run; True when a stall was seen."""
    with TansuBroker() as broker:
        broker.create_topics([TOPIC], partitions=PARTITIONS)
        producer = kafka_producer(broker.bootstrap)
        produced: dict[int, int] = {}
        history: collections.deque[tuple[float, dict[int, int]]] = collections.deque()
        lock = threading.Lock()

        def send(count: int) -> None:
            for _ in range(count):
                key = f"client-{random.randrange(20)}".encode()
                future = producer.send(TOPIC, f"{time.time()} x".encode() + b"y" * 300, key=key,
                                       headers=[("event-type", b"DocumentReceived")])

                def done(meta, _f=future):  # type: ignore[no-untyped-def]
                    with router.lock:
                        if (meta.partition, meta.offset) in router.early:
                            router.early.discard((meta.partition, meta.offset))
                        elif tracking:
                            router.unhandled[meta.partition, meta.offset] = time.time()
                    with lock:
                        produced[meta.partition] = max(produced.get(meta.partition, -1),
                                                       meta.offset)
                future.add_callback(done)

        tracking = False
        consumed: dict[int, int] = {}
        lat: list[float] = []
        router = Router(consumed, lat)
        send(args.backlog)  # before the consumers start, as the bench's received documents
        producer.flush()
        statuses = ConsumerStatuses()
        runtimes: dict[str, ConsumerRuntime] = {}

        def build(handler: Handler, sensitive: bool):  # type: ignore[no-untyped-def]
            def runtime() -> ConsumerRuntime:
                source = kafka_source(broker.bootstrap, handler.name, handler.topics,
                                      **({"fetch_max_wait_ms": args.wait} if sensitive else {}))
                made = ConsumerRuntime(source, handler, NoParking(), poll_timeout=1.0,
                                       statuses=statuses)
                runtimes[handler.name] = made
                return made
            return runtime

        runner = ConsumerRunner([Consumer("auto-send", build(Other("auto-send"), False)),
                                 Consumer("router", build(router, True)),
                                 Consumer("multisender", build(Other("multisender"), False))],
                                statuses)
        runner.start()
        started = time.monotonic()
        # wait for the backlog (the warm-up)
        while time.monotonic() - started < 60:
            with lock:
                done = all(consumed.get(p, -1) >= o for p, o in produced.items())
            if done:
                break
            time.sleep(0.2)
        warm = time.monotonic() - started
        stalled = False
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(args.hogs)]  # the bench's saturated cores
        steady_from = len(lat)
        tracking = True
        worst = 0.0
        steady_started = time.monotonic()
        next_send = time.monotonic()
        rate = random.uniform(40, 150)
        rate_until = time.monotonic() + 10
        while time.monotonic() - steady_started < args.cycle:
            now = time.monotonic()
            if now > rate_until:
                rate, rate_until = random.uniform(40, 150), now + random.uniform(3, 15)
            while next_send <= now:
                send(1)
                next_send += 1 / rate
            with lock:
                history.append((now, dict(produced)))
            while history and history[0][0] < now - STALL_S - 1:
                history.popleft()
            with router.lock:
                oldest = min(router.unhandled.values(), default=None)
                behind = sorted(router.unhandled.items(), key=lambda kv: kv[1])[:5]
            age = time.time() - oldest if oldest is not None else 0.0
            worst = max(worst, age)
            if age > STALL_S and not stalled:
                stalled = True
                print(f"STALL cycle {n} at {now - steady_started:.1f}s of steady: oldest "
                      f"unhandled record {age:.1f}s old; oldest (partition, offset): "
                      f"{[k for k, _ in behind]}; produced {produced}; consumed max {consumed}",
                      flush=True)
                print(internals(runtimes["router"]), flush=True)
                print("--- last kafka-python lines", flush=True)
                print(RING.dump(300), flush=True)
            time.sleep(max(0.0, min(0.05, next_send - time.monotonic())))
        for hog in hogs:
            hog.kill()
            hog.wait()
        producer.flush()
        lat = sorted(lat[steady_from:])
        q = (lambda f: lat[int(f * (len(lat) - 1))] * 1000) if lat else (lambda f: -1)
        print(f"cycle {n}: warm-up {warm:.1f}s, steady {time.monotonic() - steady_started:.0f}s, "
              f"consumed {sum(v + 1 for v in consumed.values())} of "
              f"{sum(v + 1 for v in produced.values())}, produced->handled ms p50 {q(0.5):.0f} "
              f"p99 {q(0.99):.0f} max {q(1.0):.0f}, oldest unhandled at most {worst:.1f}s, "
              f"stall {stalled}, (consumer, restarts, retries, state) "
              f"{[(s.consumer, s.restarts, s.retries, str(s.state)) for s in statuses.snapshot()]}",
              flush=True)
        runner.stop(10)
        producer.close()
        return stalled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--cycle", type=float, default=90)
    parser.add_argument("--wait", type=int, default=100)
    parser.add_argument("--backlog", type=int, default=3000)
    parser.add_argument("--stop-on-stall", action="store_true")
    parser.add_argument("--hogs", type=int, default=0, help="busy processes in the steady phase")
    args = parser.parse_args()
    kafka_log = logging.getLogger("kafka")
    kafka_log.setLevel(logging.DEBUG)
    kafka_log.addHandler(RING)
    kafka_log.propagate = False
    end = time.monotonic() + args.minutes * 60
    n = stalls = 0
    while time.monotonic() < end:
        n += 1
        stalls += cycle(args, n)
        if stalls and args.stop_on_stall:
            break
    print(f"done: {n} cycles, {stalls} with a stall", flush=True)
    sys.exit(1 if stalls else 0)


if __name__ == "__main__":
    main()
