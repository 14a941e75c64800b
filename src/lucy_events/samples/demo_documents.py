"""The demo firm's documents: real invoices, credit notes and receipts between a demo
client and its suppliers or customers (the client is the supplier of its sales
invoices), in Dutch and French, as text PDFs, Peppol UBL for documents that arrive over
Peppol, a few scans and one Factur-X. Each document depends only on the client and its
position, so the demo stays the same from run to run."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lucy_events.samples import numbers, scan
from lucy_events.samples.corpus import Sample, render
from lucy_events.samples.invoices import make_invoice
from lucy_events.samples.model import Address, Invoice, Party

#: Scans are the slow part (rasterising and noise): the demo keeps a few.
MAX_SCANS = 4
SCAN_DPI = 150
SCAN_KINDS = ("jpeg", "pdf", "png", "tiff")
KIND_OF_TYPE = {"purchase-invoice": ("invoice", "purchase"),
                "sales-invoice": ("invoice", "sales"), "receipt": ("receipt", "purchase"),
                "purchase-credit-note": ("credit-note", "purchase"),
                "sales-credit-note": ("credit-note", "sales")}


@dataclass(frozen=True)
class DemoDocument:
    content: bytes
    file_name: str
    media_type: str
    channel: str
    document_type: str | None


def client_party(name: str, country: str, enterprise_number: str, vat_number: str | None,
                 address: dict[str, str], email: str) -> Party:
    """A demo client as its documents name it, with a bank account of its own (its
    sales invoices ask to be paid into it)."""
    vat = vat_number or (f"BE{enterprise_number}" if country == "BE" else None)
    account, bic = numbers.iban(country, random.Random(f"lucy-demo-bank:{enterprise_number}"))
    return Party(name=name, address=Address(address["street"], address["postal_code"],
                                            address["city"], country),
                 vat=vat, enterprise_number=enterprise_number, iban=account, bic=bic,
                 email=email)


class DemoDocuments:
    """Makes the demo's documents in order; counts the scans and the one Factur-X."""

    def __init__(self) -> None:
        self.scans = 0
        self.facturx = 0

    def document(self, client: Party, n: int, received: date, channel: str,
                 document_type: str | None) -> DemoDocument:
        """Document ``n`` of ``client``, arriving on ``received`` over ``channel``. A
        typed document is of ``document_type`` (a purchase invoice is now and then a
        credit note); an untyped one is of any kind: recognition will tell."""
        rng = random.Random(f"lucy-demo:{client.enterprise_number}:{n}")
        if document_type is None:
            kind, side = rng.choice(list(KIND_OF_TYPE.values()))
        else:
            kind, side = KIND_OF_TYPE[document_type]
            if kind == "invoice" and rng.random() < 0.15:
                kind = "credit-note"
        language = "fr" if client.country == "BE" and rng.random() < 0.35 else "nl"
        issued = received - timedelta(days=rng.randrange(0, 6))
        invoice = make_invoice(rng, kind=kind, side=side, language=language, issued=issued,
                               client=client)
        if channel == "peppol" and kind == "receipt":
            channel = "upload"  # Peppol carries invoices and credit notes, not till receipts
        sample = self._render(invoice, channel, rng)
        return DemoDocument(sample.content, sample.file_name, sample.media_type, channel,
                            invoice.document_type if document_type else None)

    def _render(self, invoice: Invoice, channel: str, rng: random.Random) -> Sample:
        if channel == "peppol":
            return render(invoice, "ubl", rng, embed_pdf=rng.random() < 0.5)
        if self.facturx == 0 and invoice.kind == "invoice" and invoice.side == "purchase":
            self.facturx += 1
            return render(invoice, "factur-x", rng)
        if self.scans < MAX_SCANS and rng.random() < 0.15:
            kind = SCAN_KINDS[self.scans % len(SCAN_KINDS)]
            self.scans += 1
            text = render(invoice, "pdf-text", rng)
            content = scan.scan(text.content, kind, rng, dpi=SCAN_DPI)
            media_type, extension = scan.KINDS[kind]
            return Sample(f"scan-{self.scans:03d}{extension}", content, media_type,
                          invoice.label("ocr"), invoice.own_numbers, "scan", text.layout,
                          text.language, text.number_style, text.date_style)
        return render(invoice, "pdf-text", rng)
