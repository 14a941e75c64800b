"""Every issued invoice and credit note, for auditors: its UBL and PDF written under a
directory, one pair per invoice named by its number (``INV-2026-00001.xml`` and
``.pdf``), read from the event store itself (not a read model that may lag)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from lucy_events.aggregates.invoice import Invoice
from lucy_events.application import LucyApplication

_ISSUED_TOPIC = f"{Invoice.InvoiceIssued.__module__}:{Invoice.InvoiceIssued.__qualname__}"
_PAGE = 500


@dataclass(frozen=True)
class Exported:
    client_id: UUID
    number: str
    files: tuple[Path, Path]


def issued_invoices(app: LucyApplication, client_id: UUID | None = None
                    ) -> Iterator[Invoice]:
    """Issued invoices and credit notes in the order they were issued."""
    start = 1
    while True:
        page = app.recorder.select_notifications(start, _PAGE, topics=[_ISSUED_TOPIC])
        for notification in page:
            invoice: object = app.repository.get(UUID(str(notification.originator_id)))
            if isinstance(invoice, Invoice) and client_id in (None, invoice.client_id):
                yield invoice
        if len(page) < _PAGE:
            return
        start = page[-1].id + 1


def export_invoices(app: LucyApplication, directory: Path, client_id: UUID | None = None
                    ) -> list[Exported]:
    """Write each issued invoice's UBL and PDF; clients' invoices go into a folder per
    client id (numbers are unique per client, not across clients). Writing again
    overwrites with the same bytes."""
    written = []
    for invoice in issued_invoices(app, client_id):
        folder = directory / str(invoice.client_id)
        folder.mkdir(parents=True, exist_ok=True)
        number = invoice.number or ""
        ubl, pdf = folder / f"{number}.xml", folder / f"{number}.pdf"
        ubl.write_bytes(app.blobs.get(invoice.ubl_ref or ""))
        pdf.write_bytes(app.blobs.get(invoice.pdf_ref or ""))
        written.append(Exported(invoice.client_id, number, (ubl, pdf)))
    return written
