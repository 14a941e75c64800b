"""The audit trail straight from the event store: what happened to a client and its
documents, when, and who did it.

Every entry is read from the event store. Which documents are the client's is either
found by scanning the document events of the notification log (authoritative, but its
cost grows with the whole store: the CLI's ``history`` for auditors), or given by the
caller from the documents read model (one indexed read per document: the dashboard and
the API, as fresh as their other views).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.utils import get_topic

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.firm import Firm
from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_settings import InvoiceSettings
from lucy_events.aggregates.multisender import Multisender
from lucy_events.aggregates.multisends import Multisends
from lucy_events.aggregates.vault import Vault
from lucy_events.application.base import CommandsBase
from lucy_events.application.history_entries import HistoryEntry, decode, entries_of
from lucy_events.bus.records import BusEvent
from lucy_events.bus.stored_records import moment_of, stored_state
from lucy_events.gc_pause import collector_paused

__all__ = ["ClientSummary", "HistoryEntry", "HistoryQueries"]
_PAGE = 1000
#: Oldest first; the same moment by subject, then version (attrgetter builds the key in C).
_ORDER = attrgetter("at", "subject_id.int", "version")


@dataclass(frozen=True)
class ClientSummary:
    client_id: UUID
    firm_id: UUID
    name: str
    enterprise_number: str | None
    vat_number: str | None


class HistoryQueries(CommandsBase):
    def _notifications(self, topics: list[str]) -> Iterator[Notification]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=_PAGE, topics=topics)
            yield from page
            if len(page) < _PAGE:
                return
            start = page[-1].id + 1

    def client_history(
        self, firm_id: UUID, client_id: UUID, as_of: datetime | None = None,
        by: Actor | None = None, document_ids: Iterable[UUID] | None = None,
        since: datetime | None = None, invoice_ids: Iterable[UUID] | None = None,
    ) -> list[HistoryEntry]:
        """Every event of the client, its documents, vault, invoice settings and
        invoices, oldest first, from ``since`` up to ``as_of``. ``document_ids`` and
        ``invoice_ids``: the client's documents and invoices when the caller knows them
        (from the read models); else the notification log is scanned."""
        self.client(firm_id, client_id, by)
        firm = self.firm(firm_id)
        with collector_paused():
            entries = entries_of(
                self.client_events(client_id, document_ids, until=as_of,
                                   invoice_ids=invoice_ids),
                {**firm.staff_names, **firm.teams})
            if as_of is not None or since is not None:
                entries = [e for e in entries if (as_of is None or e.at <= as_of)
                           and (since is None or e.at >= since)]
            entries.sort(key=_ORDER)
            return entries

    def client_events(
        self, client_id: UUID, document_ids: Iterable[UUID] | None = None,
        until: datetime | None = None, invoice_ids: Iterable[UUID] | None = None,
    ) -> list[tuple[str, BusEvent]]:
        """(subject, event) of the client, its documents, its vault, its invoice
        settings and its invoices and credit notes, and of its multisender
        ("multisender": its destinations; "multisend": what it sent of each document),
        each aggregate's in version order; an event of a type this version does not
        know too. ``until``: events stored as later are not decoded (some may still
        come: the caller filters by time as well). The yearly invoice number counters
        are left out: each number taken shows in its invoice's InvoiceIssued."""
        client = client_id.int  # compared by number: a UUID's __eq__ is Python code
        found = [("client", e) for e in self._decoded(self._stored_of([client_id]), until)]
        if document_ids is None:
            document_ids = self._client_document_ids(client_id)
        document_ids = list(document_ids)
        found += [("document", e)
                  for e in self._decoded(self._stored_of(document_ids), until)
                  if e.client_id is None or e.client_id.int == client]
        found += [("vault", e)
                  for e in self._decoded(self._stored_of([Vault.id_for(client_id)]), until)]
        found += [("invoice-settings", e) for e in self._decoded(
            self._stored_of([InvoiceSettings.id_for(client_id)]), until)]
        if invoice_ids is None:
            invoice_ids = self._client_aggregate_ids(client_id, Invoice.InvoiceDrafted)
        found += [("invoice", e)
                  for e in self._decoded(self._stored_of(list(invoice_ids)), until)
                  if e.client_id is None or e.client_id.int == client]
        multisender = [("multisender", e) for e in self._decoded(
            self._stored_of([Multisender.id_for(client_id)]), until)]
        found += multisender
        if multisender:  # nothing is sent without a destination: none without these
            found += [("multisend", e) for e in self._decoded(
                self._stored_of([Multisends.id_for(d) for d in document_ids]), until)
                if e.client_id is None or e.client_id.int == client]
        return found

    def _decoded(self, stored: Iterable[StoredEvent], until: datetime | None
                 ) -> Iterator[BusEvent]:
        """Each stored event decoded; with ``until``, each aggregate's events up to its
        first one stored as later (an aggregate as it stood is a prefix of its versions;
        what follows is later too, so it is neither decoded nor even parsed). Each
        aggregate's events come in version order (``_stored_of``), other aggregates'
        possibly between them."""
        mapper = self.mapper
        if until is None:
            for event in stored:
                yield decode(event, mapper)
            return
        passed: set[Any] = set()  # the aggregates whose later events are passing by
        for event in stored:
            if passed and _number(event.originator_id) in passed:
                continue
            state = stored_state(event, mapper)
            at = moment_of(state)
            if at is not None and at > until:
                passed.add(_number(event.originator_id))
                continue
            yield decode(event, mapper, state)

    def _stored_of(self, aggregate_ids: list[UUID]) -> Iterable[StoredEvent]:
        """The stored events of these aggregates, each's in version order: in one query
        where the store can (PostgreSQL: all in notification order), else one read per
        aggregate."""
        select_many = getattr(self.recorder, "select_events_of", None)
        if select_many is None:
            return (e for i in aggregate_ids for e in self.recorder.select_events(i))
        return select_many(aggregate_ids)  # type: ignore[no-any-return]

    def _client_document_ids(self, client_id: UUID) -> list[UUID]:
        """The client's documents, from their first events in the notification log."""
        return self._client_aggregate_ids(client_id, Document.DocumentReceived)

    def _client_aggregate_ids(self, client_id: UUID, first: type) -> list[UUID]:
        """The client's aggregates whose first event is ``first``, from the notification
        log."""
        marker = client_id.hex.encode()
        found = []
        for notification in self._notifications([get_topic(first)]):
            if marker in notification.state:  # cheap filter before decoding
                event: Any = self.mapper.to_domain_event(notification)
                if event.client_id == client_id:
                    found.append(event.originator_id)
        return found

    def find_firms(self) -> list[tuple[UUID, str]]:
        """Every firm: (id, name), in registration order."""
        found = []
        for notification in self._notifications([get_topic(Firm.FirmRegistered)]):
            event: Any = self.mapper.to_domain_event(notification)
            found.append((event.originator_id, event.name))
        return found

    def find_clients(self, text: str = "") -> list[ClientSummary]:
        """Clients whose name, enterprise or VAT number contains ``text`` (any firm)."""
        needle = text.strip().casefold()
        found = []
        for notification in self._notifications([get_topic(Client.ClientCreated)]):
            event: Any = self.mapper.to_domain_event(notification)
            summary = ClientSummary(
                event.originator_id, event.firm_id, event.name,
                event.enterprise_number, event.vat_number,
            )
            haystack = " ".join(filter(None, [summary.name, summary.enterprise_number,
                                              summary.vat_number])).casefold()
            if needle in haystack:
                found.append(summary)
        return found


def _number(originator_id: Any) -> Any:
    """An aggregate's id as a set or dict key: its number (hashing a UUID runs Python
    code), or the id itself when a store gives text."""
    return originator_id.int if type(originator_id) is UUID else originator_id
