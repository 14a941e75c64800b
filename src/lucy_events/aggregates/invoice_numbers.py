"""The numbers a client's invoices take in one year: gapless and unique.

One aggregate per client and year (its id derived from both). Issuing an invoice
takes the next number here and saves this aggregate in the same transaction as the
invoice: two issues at once both try to write the same next version, the store's
optimistic concurrency refuses one, and that one retries with the next number. So a
number is never taken twice, and never taken without its invoice (no gap).
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import event_time

_NAMESPACE = uuid5(NAMESPACE_URL, "https://lucy-events/invoice-numbers")


class InvoiceNumbers(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class InvoiceNumberingStarted(Event, Aggregate.Created):
        year: int

    class InvoiceNumberTaken(Event):
        sequence: int
        invoice_id: UUID

        def apply(self, numbers: InvoiceNumbers) -> None:
            numbers.last = self.sequence

    @staticmethod
    def id_for(client_id: UUID, year: int) -> UUID:
        return uuid5(_NAMESPACE, f"{client_id}:{year}")

    @event(InvoiceNumberingStarted)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID, year: int) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.year = year
        self.last = 0

    @classmethod
    def start(cls, *, firm_id: UUID, client_id: UUID, year: int, by: Actor) -> InvoiceNumbers:
        return cls._create(cls.InvoiceNumberingStarted, id=cls.id_for(client_id, year),
                           actor=str(by), firm_id=firm_id, client_id=client_id, year=year)

    def take(self, invoice_id: UUID, by: Actor) -> int:
        """The next sequence number, for this invoice."""
        self.trigger_event(self.InvoiceNumberTaken, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, sequence=self.last + 1,
                           invoice_id=invoice_id)
        return self.last
