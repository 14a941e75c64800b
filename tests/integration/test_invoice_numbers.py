"""Invoice numbers stay gapless and unique when several processes issue a client's
invoices at the same time on PostgreSQL: each issue saves the year's counter with its
invoice, and optimistic concurrency makes the loser retry with the next number."""

from __future__ import annotations

import multiprocessing
from datetime import date
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.invoice_numbers import InvoiceNumbers
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from tests.invoice_support import SETTINGS, draft_values
from tests.support import open_office

PROCESSES = 3
EACH = 3


def _issue_all(url: str, firm_id: UUID, client_id: UUID, invoice_ids: list[UUID],
               by: Actor, start: multiprocessing.synchronize.Event,
               results: multiprocessing.Queue) -> None:
    app = LucyApplication(persistence_env(url, timeout=30), blobs=InMemoryBlobStore())
    try:
        from lucy_events.peppol.validation import validate
        from tests.peppol_invoices import example  # warm the rules before the race
        validate(example())
        start.wait(60)
        for invoice_id in invoice_ids:
            issued = app.issue_invoice(firm_id, client_id, invoice_id, by, date(2026, 12, 1))
            results.put((str(invoice_id), issued.number))
    except BaseException as error:  # reported to the test
        results.put(("error", repr(error)))
    finally:
        app.close()


def test_invoices_issued_in_parallel_processes_take_gapless_unique_numbers(postgres_url):
    app = LucyApplication(persistence_env(postgres_url), blobs=InMemoryBlobStore())
    office = open_office(app)
    client_id = office.new_client()
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
    drafts = [app.draft_invoice(office.firm_id, client_id, draft_values(), office.admin).id
              for _ in range(PROCESSES * EACH)]
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_issue_all, args=(
        postgres_url, office.firm_id, client_id, drafts[n::PROCESSES], office.admin, start,
        results)) for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    start.set()
    answers = [results.get(timeout=300) for _ in range(PROCESSES * EACH)]
    for worker in workers:
        worker.join(60)
    assert [a for a in answers if a[0] == "error"] == []
    numbers = sorted(number for _, number in answers)
    assert numbers == [f"INV-2026-{n:05d}" for n in range(1, PROCESSES * EACH + 1)]
    assert {UUID(invoice_id) for invoice_id, _ in answers} == set(drafts)
    counter = app.repository.get(InvoiceNumbers.id_for(client_id, 2026))
    assert counter.last == PROCESSES * EACH
    taken = [app.invoice(office.firm_id, client_id, d, office.admin).number for d in drafts]
    assert sorted(taken) == numbers  # each invoice kept the number it was answered with
    app.close()
