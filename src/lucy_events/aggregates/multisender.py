"""A client's multisender: destinations of its own (e-mail addresses with a label),
entirely separate from the accountant's integration. A new address is added
unconfirmed, and a single-use link is mailed to it; only once that link is opened can
documents be sent there. Destinations can be removed at any time.

One multisender per client, its id derived from the client's (``Multisender.id_for``),
opened by its first destination. Its events live on their own topic, which the router
and auto-send never read. The sendings themselves are per document
(``aggregates.multisends``), so this aggregate stays small however much is sent.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.multisender_rules import (
    CONFIRMATION_VALIDITY,
    MAX_DESTINATIONS,
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    Destination,
    DestinationExists,
    DestinationNotConfirmed,
    DestinationNotFound,
    TooManyDestinations,
    checked_address,
    checked_label,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "https://lucy-events/multisender")


class Multisender(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class MultisenderOpened(Event, Aggregate.Created):
        pass

    class DestinationAdded(Event):
        destination_id: UUID
        address: str
        label: str
        token_hash: str
        expires_at: datetime

        def apply(self, multisender: Multisender) -> None:
            multisender.destinations[self.destination_id] = Destination(
                self.destination_id, self.address, self.label, False, self.token_hash,
                self.expires_at, self.timestamp)

    class DestinationConfirmationResent(Event):
        destination_id: UUID
        address: str
        token_hash: str
        expires_at: datetime

        def apply(self, multisender: Multisender) -> None:
            destination = multisender.destinations[self.destination_id]
            if destination.token_hash:
                multisender.spent_hashes.add(destination.token_hash)
            destination.token_hash = self.token_hash
            destination.expires_at = self.expires_at

    class DestinationConfirmed(Event):
        destination_id: UUID
        address: str

        def apply(self, multisender: Multisender) -> None:
            destination = multisender.destinations[self.destination_id]
            if destination.token_hash:
                multisender.spent_hashes.add(destination.token_hash)
            destination.confirmed = True
            destination.token_hash = None
            destination.confirmed_at = self.timestamp

    class DestinationRemoved(Event):
        destination_id: UUID
        address: str

        def apply(self, multisender: Multisender) -> None:
            removed = multisender.destinations.pop(self.destination_id)
            if removed.token_hash:
                multisender.spent_hashes.add(removed.token_hash)

    @staticmethod
    def id_for(client_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(client_id))

    @event(MultisenderOpened)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.destinations: dict[UUID, Destination] = {}
        self.spent_hashes: set[str] = set()

    @classmethod
    def open(cls, *, firm_id: UUID, client_id: UUID, by: Actor) -> Multisender:
        return cls._create(cls.MultisenderOpened, id=cls.id_for(client_id), actor=str(by),
                           firm_id=firm_id, client_id=client_id)

    def _trigger(self, event_class: type[Event], by: Actor, **fields: object) -> None:
        self.trigger_event(event_class, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, **fields)

    def add(self, *, destination_id: UUID, address: str, label: str | None,
            token_hash: str, now: datetime, by: Actor) -> Destination:
        address = checked_address(address)
        label = checked_label(label, address)
        if any(d.address == address for d in self.destinations.values()):
            raise DestinationExists(f"{address} is already a destination")
        if len(self.destinations) >= MAX_DESTINATIONS:
            raise TooManyDestinations(
                f"a client has at most {MAX_DESTINATIONS} destinations: remove one first")
        self._trigger(self.DestinationAdded, by, destination_id=destination_id,
                      address=address, label=label, token_hash=token_hash,
                      expires_at=now + CONFIRMATION_VALIDITY)
        return self.destinations[destination_id]

    def destination(self, destination_id: UUID) -> Destination:
        try:
            return self.destinations[destination_id]
        except KeyError:
            raise DestinationNotFound(f"no destination {destination_id}") from None

    def resend_confirmation(self, destination_id: UUID, token_hash: str, now: datetime,
                            by: Actor) -> Destination:
        """A new link (the old one stops working), for an address not confirmed yet."""
        destination = self.destination(destination_id)
        if destination.confirmed:
            raise DestinationExists(f"{destination.address} is confirmed already")
        self._trigger(self.DestinationConfirmationResent, by, destination_id=destination_id,
                      address=destination.address, token_hash=token_hash,
                      expires_at=now + CONFIRMATION_VALIDITY)
        return destination

    def destination_of_link(self, token_hash: str, now: datetime) -> Destination:
        """The unconfirmed destination the link ``token_hash`` confirms at ``now``."""
        for destination in self.destinations.values():
            if destination.token_hash == token_hash:
                assert destination.expires_at is not None
                if now > destination.expires_at:
                    raise ConfirmationLinkExpired(
                        f"the link for {destination.address} has expired: ask for a new one")
                return destination
        if token_hash in self.spent_hashes:
            raise ConfirmationLinkInvalid(
                "this link was used already or replaced by a newer one")
        raise ConfirmationLinkInvalid("this confirmation link is not known")

    def confirm(self, token_hash: str, now: datetime, by: Actor) -> Destination:
        destination = self.destination_of_link(token_hash, now)
        self._trigger(self.DestinationConfirmed, by, destination_id=destination.destination_id,
                      address=destination.address)
        return destination

    def remove(self, destination_id: UUID, by: Actor) -> Destination:
        destination = self.destination(destination_id)
        self._trigger(self.DestinationRemoved, by, destination_id=destination_id,
                      address=destination.address)
        return destination

    def usable(self, destination_id: UUID) -> Destination:
        """A destination documents may be sent to now: confirmed, not removed."""
        destination = self.destination(destination_id)
        if not destination.confirmed:
            raise DestinationNotConfirmed(
                f"{destination.address} is not confirmed yet: open the link in the "
                "confirmation e-mail first")
        return destination
