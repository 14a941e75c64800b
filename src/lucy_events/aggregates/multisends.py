"""What the client sent of one document through its multisender: each sending to one
of its destinations, requested, then sent (with the mail's Message-ID) or failed (with
the reason, and whether trying again without a fix may help); a failed one may be asked
to go again.

Why not on the Document: a document's status speaks of its delivery to the accountant's
package (Inbox, Sent, Failed...), and the router and auto-send act on every Document
event. A copy the client mails elsewhere must never change that status nor wake them,
so these events live on their own aggregate and topic. One per document, its id derived
from the document's (``Multisends.id_for``): the document's history finds them without
a lookup, and sendings of different documents never contend.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.multisender_rules import (
    MAX_REASON,
    Destination,
    Sending,
    SendingNotFound,
    SendingNotRetryable,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "https://lucy-events/multisends")


class Multisends(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class MultisendsOpened(Event, Aggregate.Created):
        document_id: UUID

    class MultisendRequested(Event):
        sending_id: UUID
        document_id: UUID
        destination_id: UUID
        address: str
        label: str
        attempt: int

        def apply(self, multisends: Multisends) -> None:
            multisends.sendings[self.sending_id] = Sending(
                self.sending_id, self.document_id, self.destination_id, self.address,
                self.label, self.attempt, "requested", self.timestamp, self.actor,
                self.timestamp)

    class MultisendSent(Event):
        sending_id: UUID
        document_id: UUID
        address: str
        attempt: int
        message_id: str

        def apply(self, multisends: Multisends) -> None:
            sending = multisends.sendings[self.sending_id]
            sending.status, sending.at = "sent", self.timestamp
            sending.message_id, sending.reason, sending.retryable = self.message_id, None, None

    class MultisendFailed(Event):
        sending_id: UUID
        document_id: UUID
        address: str
        attempt: int
        reason: str
        retryable: bool

        def apply(self, multisends: Multisends) -> None:
            sending = multisends.sendings[self.sending_id]
            sending.status, sending.at = "failed", self.timestamp
            sending.reason, sending.retryable = self.reason, self.retryable

    @staticmethod
    def id_for(document_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(document_id))

    @event(MultisendsOpened)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID,
                 document_id: UUID) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.document_id = document_id
        self.sendings: dict[UUID, Sending] = {}

    @classmethod
    def open(cls, *, firm_id: UUID, client_id: UUID, document_id: UUID,
             by: Actor) -> Multisends:
        return cls._create(cls.MultisendsOpened, id=cls.id_for(document_id), actor=str(by),
                           firm_id=firm_id, client_id=client_id, document_id=document_id)

    def _trigger(self, event_class: type[Event], by: Actor, **fields: object) -> None:
        self.trigger_event(event_class, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, document_id=self.document_id, **fields)

    def request(self, sending_id: UUID, destination: Destination, by: Actor) -> Sending:
        """Send the document to a usable destination (the caller checked it is)."""
        if sending_id in self.sendings:
            raise SendingNotRetryable(f"sending {sending_id} exists already")
        self._trigger(self.MultisendRequested, by, sending_id=sending_id,
                      destination_id=destination.destination_id, address=destination.address,
                      label=destination.label, attempt=1)
        return self.sendings[sending_id]

    def sending(self, sending_id: UUID) -> Sending:
        try:
            return self.sendings[sending_id]
        except KeyError:
            raise SendingNotFound(f"no sending {sending_id} of this document") from None

    def retry(self, sending_id: UUID, by: Actor) -> Sending:
        """Ask for a Failed sending to go again, to the same address, under the same
        delivery key (a crashed earlier attempt that did go out is not sent twice)."""
        sending = self.sending(sending_id)
        if sending.status != "failed":
            raise SendingNotRetryable(
                f"a {sending.status} sending is not sent again; only a failed one is")
        self._trigger(self.MultisendRequested, by, sending_id=sending_id,
                      destination_id=sending.destination_id, address=sending.address,
                      label=sending.label, attempt=sending.attempt + 1)
        return self.sendings[sending_id]

    def awaits(self, sending_id: UUID, attempt: int) -> bool:
        """Whether the sending still waits for this very attempt's outcome (a request
        delivered again after a crash finds it recorded and does nothing)."""
        sending = self.sendings.get(sending_id)
        return sending is not None and sending.status == "requested" and (
            sending.attempt == attempt)

    def _check_awaits(self, sending_id: UUID, attempt: int) -> Sending:
        sending = self.sending(sending_id)
        if not self.awaits(sending_id, attempt):
            raise SendingNotRetryable(
                f"attempt {attempt} of sending {sending_id} has its outcome already")
        return sending

    def record_sent(self, sending_id: UUID, attempt: int, message_id: str, by: Actor) -> None:
        sending = self._check_awaits(sending_id, attempt)
        self._trigger(self.MultisendSent, by, sending_id=sending_id, address=sending.address,
                      attempt=attempt, message_id=message_id)

    def record_failed(self, sending_id: UUID, attempt: int, reason: str, retryable: bool,
                      by: Actor) -> None:
        sending = self._check_awaits(sending_id, attempt)
        self._trigger(self.MultisendFailed, by, sending_id=sending_id, address=sending.address,
                      attempt=attempt, reason=(reason or "unknown")[:MAX_REASON],
                      retryable=retryable)
