"""Fields from a document's text (a PDF's text layer or OCR), in Dutch, French, German
and English.

A field is read next to its label: in the same segment ("Factuurnummer: 2026-042"), to
its right on the same line, or under it (a header row above a row of values). Numbers
that carry check digits (VAT, IBAN, structured communication) are only read when valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

from lucy_events.recognition.fields import Recognition
from lucy_events.recognition.identifiers import ibans, structured_communications
from lucy_events.recognition.kinds import document_kind
from lucy_events.recognition.labels import DUE_DATE, ISSUE_DATE, KINDS, NUMBER, plain
from lucy_events.recognition.layout import Layout, Segment
from lucy_events.recognition.local_formats import first_date
from lucy_events.recognition.parties import find_parties, sided_type
from lucy_events.recognition.totals import read_totals

T = TypeVar("T")
_NUMBER_VALUE = re.compile(r"^[\s:#.°]*([A-Z0-9][A-Z0-9/\-_.]*[A-Z0-9]|\d)(?![A-Z0-9])", re.I)
_CURRENCY = re.compile(r"(?<![A-Z])(EUR|USD|GBP|CHF)(?![A-Z])|([€$£])")
_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}


def _after_label(
    layout: Layout, pattern: re.Pattern[str], parse: Callable[[str], T | None],
    *, anywhere: bool = False,
) -> T | None:
    """The value ``parse`` finds after the first label ``pattern`` matches: in the same
    segment, to its right, or under it."""
    for segment in layout.segments:
        text = plain(segment.text)
        match = pattern.search(text)
        if not match or (not anywhere and text[: match.start()].strip(" *-:")):
            continue
        # the label must be the segment's last label: "Factuurdatum" is not "Factuur"
        value = parse(segment.text[match.end():])
        if value is None:
            value = _near(layout, segment, parse)
        if value is not None:
            return value
    return None


def _near(layout: Layout, segment: Segment, parse: Callable[[str], T | None]) -> T | None:
    right = layout.right_of(segment)
    if right is not None:
        value = parse(right.text)
        if value is not None:
            return value
    below = layout.below(segment)
    return parse(below.text) if below is not None else None


def _invoice_number(text: str) -> str | None:
    match = _NUMBER_VALUE.match(text)
    if not match:
        return None
    value = match.group(1).strip(".")
    if not re.search(r"\d", value) or first_date(text[: match.end() + 2]) is not None:
        return None
    return value


def _number_from_title(layout: Layout) -> str | None:
    """``FACTUUR 2026-0042`` / ``Facture n° F-12``: the number written after the title."""
    for segment in layout.segments:
        text = plain(segment.text)
        for _, pattern in KINDS:
            match = pattern.match(text.strip(" *-:"))
            if match:
                offset = len(text) - len(text.lstrip(" *-:"))
                rest = segment.text[offset + match.end():]
                rest = re.sub(r"^\s*(?:nr\.?|n[°o]\.?|no\.?|nummer|number|#)", "", rest, flags=re.I)
                value = _invoice_number(rest)
                if value:
                    return value
    return None


def _currency(text: str) -> str | None:
    match = _CURRENCY.search(text)
    if not match:
        return None
    return match.group(1) or _SIGNS[match.group(2)]


def _dates(layout: Layout) -> tuple[date | None, date | None]:
    due = _after_label(layout, DUE_DATE, first_date, anywhere=True)
    issue = _after_label(layout, ISSUE_DATE, first_date)
    if issue is None:
        issue = _after_label(layout, ISSUE_DATE, first_date, anywhere=True)
    if issue is None:
        found = [first_date(s.text) for s in layout.segments]
        candidates = [d for d in found if d is not None and d != due]
        issue = candidates[0] if candidates else None
    return issue, due


def read_text(
    layout: Layout, method: str, ceiling: float, own_numbers: frozenset[str],
) -> Recognition:
    """Every field of the document ``layout`` holds; ``ceiling`` is the confidence of a
    perfect reading by ``method`` (OCR misreads more than a text layer)."""
    kind, kind_score = document_kind(layout)
    parties = find_parties(layout, own_numbers)
    totals = read_totals(layout)
    number = _after_label(layout, NUMBER, _invoice_number) or _number_from_title(layout)
    issue, due = _dates(layout)
    text = layout.text
    found_ibans = ibans(text)
    communications = structured_communications(text)
    reading = Recognition(
        method=method, confidence=0.0,
        document_type=sided_type(kind, parties.client_is),
        supplier_name=parties.supplier.name, supplier_vat=parties.supplier.vat,
        supplier_enterprise_number=parties.supplier.enterprise_number,
        customer_name=parties.customer.name, customer_vat=parties.customer.vat,
        invoice_number=number, issue_date=issue, due_date=due,
        currency=totals.currency or _currency(text),
        total_excl_vat=totals.excl, total_vat=totals.vat, total_incl_vat=totals.incl,
        vat_breakdown=totals.breakdown,
        iban=found_ibans[0].value if found_ibans else None,
        structured_communication=communications[0].value if communications else None,
    )
    return _with_confidence(reading, kind, kind_score, totals.consistent,
                            sided=parties.client_is is not None, ceiling=ceiling)


def _with_confidence(
    reading: Recognition, kind: str, kind_score: float, consistent: bool, *, sided: bool,
    ceiling: float,
) -> Recognition:
    """Confidence = ceiling x (how sure the type is, and how much of the rest was read).

    The type weighs most (only a confident type makes a document recognised); the key
    fields (supplier VAT, number, issue date, total) and the totals' cross-check add the
    rest. An invoice whose side could not be told from the client's numbers loses 15 %.
    """
    keys = [reading.supplier_vat, reading.invoice_number, reading.issue_date,
            reading.total_incl_vat]
    found = sum(value is not None for value in keys) / len(keys)
    score = 0.55 * kind_score + 0.3 * found + (0.15 if consistent else 0.0)
    if kind == "receipt":  # a till receipt has no number, and rarely a VAT split to check
        found = (reading.issue_date is not None) / 2 + (reading.total_incl_vat is not None) / 2
        score = 0.55 * kind_score + 0.45 * found
    if kind in ("invoice", "credit-note") and not sided:
        score *= 0.85
    if kind == "other":
        score = min(score, 0.3)
    reason = None
    if kind == "other":
        reason = "no invoice, credit note or receipt title was found in the text"
    elif not sided and kind in ("invoice", "credit-note"):
        reason = "the client's numbers were not found: taken as a purchase"
    return replace(reading, confidence=round(ceiling * min(score, 1.0), 3), reason=reason)
