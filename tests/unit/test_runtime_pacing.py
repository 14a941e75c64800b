"""The run loop of a consumer nobody waits on takes a steady trickle a tenth of a second at
a time; one that someone waits on (the router) takes each message as it comes."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from lucy_events.bus.runtime import (
    FOLLOW_POLL_INTERVAL,
    Batch,
    ConsumerRuntime,
    DeadLetters,
    Delivery,
    Handler,
    Position,
    Source,
    Undecodable,
    lazy_delivery,
)


class Trickle(Source):
    """One message a poll, at once: a steady trickle that never fills a batch."""

    def __init__(self) -> None:
        self.polls = 0

    def poll(self, max_records: int, timeout: float) -> Batch:
        self.polls += 1
        return Batch(deliveries=[lazy_delivery(
            Position("t", 0, self.polls), b"", None, "Noted", _never_decoded)])

    def commit(self, batch: Batch) -> None:
        pass


class Noting(Handler):
    name, topics = "noting", ("t",)

    def __init__(self) -> None:
        self.handled = 0

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        self.handled += len(deliveries)


class Waited(Noting):
    name = "waited"
    latency_sensitive = True


class NoDeadLetters(DeadLetters):
    def park_undecodable(self, item: Undecodable, consumer: str) -> None:
        raise AssertionError("nothing is undecodable here")

    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None:
        raise AssertionError(f"nothing fails here: {error!r}")


def _never_decoded(payload: bytes):  # type: ignore[no-untyped-def]
    raise AssertionError("the handler does not decode")


def polls_in(handler: Handler, seconds: float) -> tuple[int, int]:
    """Polls and messages handled while the run loop runs for ``seconds``."""
    source = Trickle()
    runtime = ConsumerRuntime(source, handler, NoDeadLetters(), poll_timeout=0.02)
    stop = threading.Event()
    loop = threading.Thread(target=runtime.run, args=(stop,))
    loop.start()
    time.sleep(seconds)
    stop.set()
    loop.join(5)
    assert not loop.is_alive()
    return source.polls, runtime.processed


def test_a_consumer_nobody_waits_on_polls_a_trickle_at_most_every_tenth_of_a_second():
    polls, processed = polls_in(Noting(), 0.55)
    assert polls <= 0.55 / FOLLOW_POLL_INTERVAL + 1, polls
    assert processed == polls  # each poll's message handled, none left behind


def test_a_consumer_someone_waits_on_polls_again_at_once():
    polls, processed = polls_in(Waited(), 0.55)
    assert polls > 5 * (0.55 / FOLLOW_POLL_INTERVAL + 1), polls
    assert processed >= polls - 1
