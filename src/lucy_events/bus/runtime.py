"""One consumer runtime for every handler, whichever source feeds it.

A source (Kafka consumer group, or the event store's notification log in-process)
yields batches of deliveries; the handler processes a batch; then the source commits.
Delivery is at least once: handlers de-duplicate by tracking positions transactionally
(``TrackedHandler``) or by the event id. A message that cannot be decoded, or that a
handler refuses as invalid, is parked at once with its reason in the dead letters, and
the consumer goes on; an outage of the database, broker or network is waited out with
nothing committed (``bus.faults`` tells them apart).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import structlog
from tenacity import RetryCallState, Retrying

from lucy_events.bus.avro import UndecodableMessage
from lucy_events.bus.faults import Fault, classify, is_infrastructure_failure
from lucy_events.bus.records import BusEvent
from lucy_events.bus.status import ConsumerState, ConsumerStatuses
from lucy_events.gc_pause import fewer_collections
from lucy_events.retries import consumer_outage

if TYPE_CHECKING:
    from lucy_events.bus.pipelined import Pipelined

log = structlog.get_logger()
T = TypeVar("T")


class Position(NamedTuple):
    """A Kafka topic, partition and offset; or ``("log", 0, notification id)``. A named
    tuple: one is made for every message, three times quicker than a frozen dataclass."""

    topic: str
    partition: int
    offset: int


class Delivery:
    """One message for a handler. ``event`` is decoded on first use, so a handler that
    picks events by ``event_type`` (from the ``event-type`` header) never pays for
    decoding the others; the first use of an undecodable one raises UndecodableMessage."""

    __slots__ = ("_decode", "_event", "event_type", "key", "payload", "position")

    def __init__(
        self, event: BusEvent | None, position: Position, payload: bytes = b"",
        key: bytes | None = None, *, event_type: str | None = None,
        decode: Callable[[bytes], BusEvent] | None = None,
    ) -> None:
        if event is None and (decode is None or event_type is None):
            raise ValueError("a lazy delivery needs its event type and a decoder")
        self._event = event
        self._decode = decode
        self.position = position
        self.payload = payload
        self.key = key
        self.event_type: str = event_type or event.type  # type: ignore[union-attr]

    @property
    def event(self) -> BusEvent:
        if self._event is None:
            assert self._decode is not None
            self._event = self._decode(self.payload)
        return self._event

    def __repr__(self) -> str:
        return f"Delivery({self.event_type}, {self.position})"


_new = object.__new__


def lazy_delivery(position: Position, payload: bytes, key: bytes | None, event_type: str,
                  decode: Callable[[bytes], BusEvent]) -> Delivery:
    """``Delivery(None, position, payload, key, event_type=..., decode=...)`` without the
    checks and keywords of ``__init__``: half the cost, for a source that makes one for
    every message it polls."""
    return _filled(None, decode, position, payload, key, event_type)


def decoded_delivery(event: BusEvent, position: Position, payload: bytes) -> Delivery:
    """``Delivery(event, position, payload)`` as ``lazy_delivery`` makes it: for the log
    source, which makes one for every event a replay reads."""
    return _filled(event, None, position, payload, None, event.type)


def _filled(event: BusEvent | None, decode: Callable[[bytes], BusEvent] | None,
            position: Position, payload: bytes, key: bytes | None,
            event_type: str) -> Delivery:
    """A Delivery with every field set, ``__init__`` skipped: the one place to add a field
    that ``Delivery`` gains."""
    delivery = _new(Delivery)
    delivery._event = event
    delivery._decode = decode
    delivery.position = position
    delivery.payload = payload
    delivery.key = key
    delivery.event_type = event_type
    return delivery


@dataclass(frozen=True)
class Undecodable:
    """A message the source could not turn into a BusEvent; the bytes are kept."""

    position: Position
    payload: bytes
    error: str
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass
class Batch:
    deliveries: list[Delivery] = field(default_factory=list)
    undecodable: list[Undecodable] = field(default_factory=list)
    #: How far the source has looked, past messages not meant for this consumer (the log
    #: source filters by topic): committing it keeps positions and lag truthful.
    scanned: dict[tuple[str, int], int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.deliveries) + len(self.undecodable)

    def last_positions(self) -> dict[tuple[str, int], int]:
        last: dict[tuple[str, int], int] = {}
        items: chain[Delivery | Undecodable] = chain(self.deliveries, self.undecodable)
        for item in items:
            topic, partition, offset = item.position
            if offset > last.get((topic, partition), -1):
                last[topic, partition] = offset
        for key, offset in self.scanned.items():
            last[key] = max(last.get(key, -1), offset)
        return last


@contextmanager
def message_context(delivery: Delivery) -> Iterator[None]:
    """Bind the message's ids to every log line written while it is processed."""
    event = delivery.event
    with structlog.contextvars.bound_contextvars(
        topic=delivery.position.topic, partition=delivery.position.partition,
        offset=delivery.position.offset, event_id=event.event_id,
        client_id=str(event.client_id) if event.client_id else None,
    ):
        yield


class Handler(ABC):
    """Processes batches of events. ``name`` is its consumer group / tracking name."""

    name: str
    topics: tuple[str, ...]
    #: Someone waits on what it does (the router): on Kafka its consumer gets the shorter
    #: fetch wait (``kafka_settings.DEFAULT_LATENCY_FETCH_MAX_WAIT_MS``).
    latency_sensitive: bool = False
    #: Consumers it took over (their names): messages they parked replay through it.
    former_names: tuple[str, ...] = ()

    @abstractmethod
    def handle(self, deliveries: Sequence[Delivery]) -> None:
        """Process in order; raising means none of the batch counts as processed."""

    def position(self, topic: str, partition: int) -> int | None:
        """The last position this handler processed, when it tracks them itself."""
        return None


class ConcurrentHandler(Handler):
    """A handler whose work waits on the network (the router). The runtime hands it one
    message at a time on ``workers`` threads, different keys at once and one key's in
    order, keeps polling meanwhile, and commits each partition up to its lowest
    unfinished message (``bus.pipelined``). ``handle`` does a whole batch the same way
    and returns when it is done (dead-letter replay)."""

    workers: int = 8

    def wants(self, delivery: Delivery) -> bool:
        """Whether the message is for this handler (the others are never decoded)."""
        return True

    def key_of(self, delivery: Delivery) -> bytes | None:
        """Messages with the same key are handled one after another, in order."""
        return delivery.key or delivery.event.key

    @abstractmethod
    def handle_one(self, delivery: Delivery) -> None:
        """Process one message; raising works as for a batch of one."""


class Source(ABC):
    @abstractmethod
    def poll(self, max_records: int, timeout: float) -> Batch: ...

    @abstractmethod
    def commit(self, batch: Batch) -> None: ...

    def lag(self) -> dict[tuple[str, int], int]:
        return {}

    def close(self) -> None:
        """Release the source's connections (nothing to release by default)."""
        return None


class DeadLetters(ABC):
    """Where parked messages go: ``<topic>.dlq`` on Kafka, a table in-process."""

    @abstractmethod
    def park_undecodable(self, item: Undecodable, consumer: str) -> None: ...

    @abstractmethod
    def park_failed(self, delivery: Delivery, error: BaseException, consumer: str) -> None: ...


@dataclass
class ConsumerRuntime:
    """Polls, processes, parks poison, commits; waits out outages (``bus.faults``).

    A bug (an error that is neither poison nor an outage) is raised out of ``step`` and
    ``run`` with nothing committed: the runner restarts the consumer or stops the process.
    """

    source: Source
    handler: Handler
    dead_letters: DeadLetters
    batch_size: int = 500
    poll_timeout: float = 0.5
    statuses: ConsumerStatuses = field(default_factory=ConsumerStatuses)
    outage: Callable[..., Retrying] = consumer_outage
    processed: int = 0
    parked: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    _pipelined: Pipelined | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.handler.name

    def step(self, *, settle: bool = True, commit_now: bool = True) -> int:
        """Poll once, process, park what must be parked, commit. Returns messages seen.

        For a ConcurrentHandler the messages run on its workers; ``settle=False`` (the
        ``run`` loop) returns without waiting for them, committing what finished (with
        ``commit_now=False``, as ``run`` does, at most every so often while busy).

        A batch's deliveries and events (a few objects each, no cycles) live until it is
        committed: the garbage collector runs less often meanwhile (``gc_pause``)."""
        with fewer_collections():
            return self._step(settle, commit_now)

    def _step(self, settle: bool, commit_now: bool) -> int:
        if isinstance(self.handler, ConcurrentHandler):
            if self._pipelined is None:
                from lucy_events.bus.pipelined import Pipelined

                self._pipelined = Pipelined(self, self.handler)
            return self._pipelined.step(settle, commit_now)
        batch = self._riding_out(lambda: self.source.poll(self.batch_size, self.poll_timeout))
        return self.process(batch)

    def process(self, batch: Batch) -> int:
        """Process a batch polled from the source (``step`` does, after polling; a replay
        that reads the source itself hands it what it does not fold itself), park what must
        be parked, commit. Returns messages seen."""
        if not batch:
            if batch.scanned:
                self._riding_out(lambda: self.source.commit(batch))
            return 0
        for item in batch.undecodable:
            self._park_undecodable(item)
        if batch.deliveries:
            self._process(batch.deliveries)
        self._riding_out(lambda: self.source.commit(batch))
        return len(batch)

    def ride_out(self, call: Callable[[], T]) -> T:
        """``call``, its outages waited out as ``step`` waits out a poll's (a replay that
        reads the source itself)."""
        return self._riding_out(call)

    def _riding_out(self, call: Callable[[], T]) -> T:
        """Run ``call``, waiting out infrastructure failures under the outage policy
        while the consumer reports itself stalled; anything else is raised at once."""
        for attempt in self.outage(self.stop, before_sleep=self._stalled):
            with attempt:
                result = call()
        status = self.statuses.get(self.name)
        if status is not None and status.state is ConsumerState.STALLED:
            log.info("infrastructure is back; consumer resumed", consumer=self.name)
            self.statuses.set_state(self.name, ConsumerState.RUNNING)
        return result

    def _stalled(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        reason = f"{type(error).__name__}: {error}"[:500]
        self.statuses.set_state(self.name, ConsumerState.STALLED, reason)
        self.statuses.count(self.name, retries=1)
        log.warning("infrastructure failure; waiting it out, nothing committed",
                    consumer=self.name, attempt=state.attempt_number, error=reason,
                    sleep=round(state.upcoming_sleep, 2))

    def _process(self, deliveries: list[Delivery]) -> None:
        try:
            self._riding_out(lambda: self.handler.handle(deliveries))
        except Exception as error:
            if classify(error) is not Fault.MESSAGE:
                raise  # a bug, or an outage while stopping: nothing of the batch counts
            log.warning("batch refused; processing one by one", consumer=self.name,
                        size=len(deliveries), error=repr(error))
        else:
            self._count(processed=len(deliveries))
            return
        for delivery in deliveries:  # find the poison message(s), keep the rest
            self._process_one(delivery)

    def _process_one(self, delivery: Delivery) -> None:
        try:
            self._riding_out(lambda: self.handler.handle([delivery]))
        except Exception as error:
            if classify(error) is not Fault.MESSAGE:
                raise
            self._park(delivery, error)
        else:
            self._count(processed=1)

    def _park(self, delivery: Delivery, error: BaseException) -> None:
        if isinstance(error, UndecodableMessage):
            self._park_undecodable(Undecodable(
                delivery.position, delivery.payload, str(error), delivery.key))
            return
        event = delivery.event
        log.error("message refused as invalid; parked", consumer=self.name,
                  topic=delivery.position.topic, partition=delivery.position.partition,
                  offset=delivery.position.offset, event_id=event.event_id,
                  client_id=str(event.client_id), error=repr(error))
        self._riding_out(lambda: self.dead_letters.park_failed(delivery, error, self.name))
        self._count(parked=1)

    def _park_undecodable(self, item: Undecodable) -> None:
        log.warning("undecodable message parked", consumer=self.name,
                    topic=item.position.topic, partition=item.position.partition,
                    offset=item.position.offset, error=item.error)
        self._riding_out(lambda: self.dead_letters.park_undecodable(item, self.name))
        self._count(parked=1)

    def _count(self, *, processed: int = 0, parked: int = 0) -> None:
        self.processed += processed
        self.parked += parked
        self.statuses.count(self.name, processed=processed, parked=parked)

    def run(self, stop: threading.Event) -> None:
        """Step until ``stop`` is set; a bug is raised (after closing the source)."""
        self.stop = stop
        log.info("consumer started", consumer=self.name)
        self.statuses.set_state(self.name, ConsumerState.RUNNING)
        try:
            while not stop.is_set():
                self.step(settle=False, commit_now=False)
        except Exception as error:
            if stop.is_set() and is_infrastructure_failure(error):
                return  # stopped while waiting out an outage: resumes from the last commit
            raise
        finally:
            if self._pipelined is not None:
                self._pipelined.close()
            self.source.close()
            log.info("consumer stopped", consumer=self.name,
                     processed=self.processed, parked=self.parked)
        self.statuses.set_state(self.name, ConsumerState.STOPPED)
