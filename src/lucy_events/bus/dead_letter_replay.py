"""Replaying parked messages through the handler that parked them, with its tracking.

A tracked handler (the projections) applies the message in the same transaction that
takes it out of the dead letters; any other handler (the router, auto-send's decisions
included) de-duplicates on its own (the router finds the document no longer waiting for
that attempt, and its delivery key keeps the package from a second copy). Either way a
message replayed twice has one effect. A message still refused is kept parked with the
newest reason; an outage or a bug is raised to the caller with the message still parked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from eventsourcing.persistence import Notification

from lucy_events.application import LucyApplication
from lucy_events.bus.avro import AvroCodec, UndecodableMessage
from lucy_events.bus.dead_letters import DeadLetter, StoreDeadLetters
from lucy_events.bus.faults import Fault, classify
from lucy_events.bus.log_source import LOG_TOPIC
from lucy_events.bus.runtime import Delivery, Handler
from lucy_events.bus.stored_records import stored_bus_event
from lucy_events.bus.tracked import TrackedHandler

log = structlog.get_logger()


class NoSuchConsumer(Exception):
    """Raised when a parked message's consumer is not one this process runs."""


@dataclass(frozen=True)
class Replayed:
    letter_id: str
    #: "replayed", "already replayed" (another replay took it first) or "refused again"
    outcome: str
    reason: str | None = None


class DeadLetterReplay:
    def __init__(self, store: StoreDeadLetters, app: LucyApplication,
                 handlers: Sequence[Handler], codec: AvroCodec | None = None) -> None:
        self.store = store
        self.app = app
        self.handlers = {name: handler for handler in handlers
                         for name in (*handler.former_names, handler.name)}
        self.codec = codec or AvroCodec()

    def replay(self, letter: DeadLetter) -> Replayed:
        handler = self.handlers.get(letter.consumer)
        if handler is None:
            known = sorted({h.name for h in self.handlers.values()})
            raise NoSuchConsumer(f"no consumer named {letter.consumer!r} "
                                 f"(known: {', '.join(known)})")
        try:
            delivery = self.delivery(letter)
            if isinstance(handler, TrackedHandler):
                done = handler.replay(delivery, lambda tx: self.store.claim(tx, letter))
            else:
                handler.handle([delivery])
                done = self.store.discard(letter)
        except Exception as error:
            if classify(error) is not Fault.MESSAGE:
                raise
            self.store.refused_again(letter, repr(error))
            log.warning("replayed message refused again", letter=letter.id, error=repr(error))
            return Replayed(letter.id, "refused again", repr(error))
        log.info("parked message replayed", letter=letter.id, consumer=letter.consumer,
                 event_id=letter.event_id, effect=done)
        return Replayed(letter.id, "replayed" if done else "already replayed")

    def delivery(self, letter: DeadLetter) -> Delivery:
        """The message as its consumer first saw it: from the event store for the
        in-process consumers (the row keeps the stored bytes), decoded from Avro else."""
        position = letter.position_of
        if letter.topic == LOG_TOPIC:
            found = [n for n in self.app.recorder.select_notifications(
                start=letter.position, limit=1) if n.id == letter.position]
            if not found:
                raise UndecodableMessage(f"notification {letter.position} is not in the "
                                         "event store", letter.payload)
            notification: Notification = found[0]
            try:
                event = stored_bus_event(notification, self.app.mapper)
            except Exception as error:  # as the log source judges it: this code cannot read it
                raise UndecodableMessage(repr(error), notification.state) from error
            return Delivery(event, position, notification.state)
        return Delivery(self.codec.decode(letter.payload), position, letter.payload)
