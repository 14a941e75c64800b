"""Finished documents with their labels: one invoice rendered as a text PDF, a scan,
Peppol UBL or Factur-X, and a seeded corpus mixing them all (the recognition
benchmark's input). Document ``i`` of a seed depends on nothing but the seed and ``i``."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from lucy_events.recognition.fields import Recognition
from lucy_events.samples import sbd, scan
from lucy_events.samples.facturx import render_facturx
from lucy_events.samples.formats import Formats
from lucy_events.samples.invoices import make_invoice
from lucy_events.samples.layouts import LAYOUTS, TICKET
from lucy_events.samples.model import Invoice
from lucy_events.samples.pdf import render_pdf
from lucy_events.samples.ubl import render_ubl

FORMS = ("pdf-text", "scan", "ubl", "factur-x")
#: The recognition method each form should be read by.
METHOD_OF = {"pdf-text": "pdf-text", "scan": "ocr", "ubl": "ubl", "factur-x": "factur-x"}
LANGUAGES = ("nl", "nl", "nl", "fr", "fr", "fr", "en", "de")
FILE_WORDS = {"nl": "factuur", "fr": "facture", "en": "invoice", "de": "rechnung"}


@dataclass(frozen=True)
class Sample:
    """One generated document, what it should be read as, and how it was made."""

    file_name: str
    content: bytes
    media_type: str
    label: Recognition
    own_numbers: frozenset[str]
    form: str
    layout: str
    language: str
    number_style: str
    date_style: str


def render(invoice: Invoice, form: str, rng: random.Random, *, layout: str | None = None,
           scan_kind: str = "png", embed_pdf: bool = False, envelope: bool = False) -> Sample:
    """``invoice`` as a finished document of ``form`` (see ``FORMS``); UBL with the PDF
    inside when ``embed_pdf``, in a Peppol envelope (SBD header) when ``envelope``."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; one of {', '.join(FORMS)}")
    chosen = TICKET if invoice.kind == "receipt" else \
        next((x for x in LAYOUTS if x.name == layout), None) or rng.choice(LAYOUTS)
    formats = Formats.choose(invoice.language, rng)
    stem = f"{FILE_WORDS[invoice.language]}-{invoice.number}".replace("/", "-")
    if form == "ubl":
        pdf = render_pdf(invoice, chosen, rng, formats) if embed_pdf else None
        content, media_type, name = render_ubl(invoice, pdf), "application/xml", f"{stem}.xml"
        if envelope:
            content = sbd.wrap(invoice, content, rng)
    else:
        pdf = render_pdf(invoice, chosen, rng, formats)
        content, media_type, name = pdf, "application/pdf", f"{stem}.pdf"
        if form == "scan":
            media_type, extension = scan.KINDS[scan_kind]
            content, name = scan.scan(pdf, scan_kind, rng), f"scan-{stem}{extension}"
        elif form == "factur-x":
            content, name = render_facturx(invoice, pdf), f"{stem}-factur-x.pdf"
    return Sample(name, content, media_type, invoice.label(METHOD_OF[form]),
                  invoice.own_numbers, form, "ubl" if form == "ubl" else chosen.name,
                  invoice.language, formats.number_style, formats.date_style)


def _form(index: int, count: int, scans: int, rng: random.Random, kind: str) -> str:
    """Scans spread evenly over the corpus, two Factur-X, then about one in six UBL."""
    if scans and index % max(1, count // scans) == 0 and index // max(1, count // scans) < scans:
        return "scan"
    if index in (count // 3, 2 * count // 3) and kind != "receipt":
        return "factur-x"
    if kind != "receipt" and rng.random() < 0.18:
        return "ubl"
    return "pdf-text"


def sample(seed: int, index: int, count: int = 200, scans: int = 48) -> Sample:
    """Document ``index`` of the corpus of ``seed``."""
    rng = random.Random(f"lucy-samples:{seed}:{index}")
    kind = rng.choices(("invoice", "credit-note", "receipt"), (6, 2, 2))[0]
    language = rng.choice(LANGUAGES)
    side = "sales" if rng.random() < 0.3 else "purchase"
    issued = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
    invoice = make_invoice(rng, kind=kind, side=side, language=language, issued=issued)
    form = _form(index, count, scans, rng, kind)
    return render(invoice, form, rng, scan_kind=rng.choice(tuple(scan.KINDS)),
                  embed_pdf=form == "ubl" and rng.random() < 0.3,
                  envelope=form == "ubl" and rng.random() < 0.25)


def corpus(seed: int = 2026, count: int = 200, scans: int = 48) -> Iterator[Sample]:
    """``count`` labelled documents: text PDFs of every layout, ``scans`` scans, UBL (some
    with their PDF inside, some in a Peppol envelope) and two Factur-X, in Dutch, French,
    English and German."""
    for index in range(count):
        yield sample(seed, index, count, scans)
