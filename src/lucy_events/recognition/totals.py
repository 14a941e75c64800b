"""The totals of a document: excluding VAT, VAT, including VAT, and the VAT per rate.

Each total is the amount on its label's line (the rightmost, where the value column is).
The three are cross-checked: when excl + VAT = incl to the cent the reading is
``consistent``, which the confidence rewards; when two are found the third is derived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from lucy_events.recognition.fields import VatLine
from lucy_events.recognition.labels import TOTAL_EXCL, TOTAL_INCL, TOTAL_VAT, plain
from lucy_events.recognition.layout import Layout, Segment
from lucy_events.recognition.local_formats import Amount, amounts

_RATE = re.compile(r"(?<![\d,.])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_RATE_START = re.compile(r"^\s*(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_CENT = Decimal("0.01")
_VAT_NUMBER_LIKE = re.compile(
    r"(?:btw|tva|vat|mwst|ust)[\s\-.:]*(?:nr|n[°o]|number|id|[a-z]{2}\s?\d)"
)


@dataclass(frozen=True)
class Totals:
    excl: Decimal | None
    vat: Decimal | None
    incl: Decimal | None
    breakdown: tuple[VatLine, ...]
    currency: str | None
    consistent: bool


def _line_amounts(layout: Layout, segment: Segment) -> list[Amount]:
    """Amounts after ``segment``'s label: in it, then to its right on the same line."""
    found = amounts(segment.text)
    for other in layout.lines[segment.line]:
        if other.x0 > segment.x0:
            found += amounts(other.text)
    return found


def _classify(text: str) -> str | None:
    lowered = plain(text)
    if _VAT_NUMBER_LIKE.search(lowered):
        return None
    for name, pattern in (("excl", TOTAL_EXCL), ("vat", TOTAL_VAT), ("incl", TOTAL_INCL)):
        match = pattern.search(lowered)
        if match and match.start() < 12:
            if name == "vat" and re.search(r"incl|inkl|ttc|inclus", lowered[: match.start()]):
                return "incl"
            return name
    return None


def read_totals(layout: Layout) -> Totals:
    seen: dict[str, list[Decimal]] = {"excl": [], "vat": [], "incl": []}
    breakdown: list[VatLine] = []
    currencies: list[str] = []
    for segment in layout.segments:
        kind = _classify(segment.text)
        if kind is None:
            continue
        found = _line_amounts(layout, segment)
        if not found:
            continue
        currencies += [a.currency for a in found if a.currency]
        seen[kind].append(abs(found[-1].value))
        rate = _RATE.search(segment.text)
        if kind == "vat" and rate:
            rate_value = Decimal(rate.group(1).replace(",", "."))
            tax = abs(found[-1].value)
            base = abs(found[-2].value) if len(found) >= 2 else None
            if base is not None and not _agrees(base, rate_value, tax):
                base = None
            breakdown.append(VatLine(rate_value, base, tax))
    table = _rate_rows(layout)
    if table:
        breakdown = table
    excl, vat, incl, consistent = _cross_check(seen, breakdown)
    if len(breakdown) == 1 and breakdown[0].taxable is None and excl is not None:
        only = breakdown[0]
        if only.vat is not None and _agrees(excl, only.rate, only.vat):
            breakdown = [VatLine(only.rate, excl, only.vat)]  # one rate: it taxes it all
    ordered = tuple(sorted(breakdown, key=lambda line: line.rate, reverse=True))
    return Totals(excl, vat, incl, ordered, currencies[0] if currencies else None, consistent)


def _agrees(taxable: Decimal, rate: Decimal, vat: Decimal) -> bool:
    """Whether ``vat`` is ``rate`` % of ``taxable``, to the cent (rounding either way)."""
    return abs(taxable * rate / 100 - vat) <= Decimal("0.011")


def _rate_rows(layout: Layout) -> list[VatLine]:
    """A VAT summary table: rows that start with a rate and hold its taxable amount and its
    VAT ("21 %  2.167,90  455,26"). A row counts only when the VAT is the rate of the
    taxable amount, so item lines and totals never pass for it."""
    rows: dict[Decimal, VatLine] = {}
    for line in layout.lines:
        start = _RATE_START.match(line[0].text)
        if not start:
            continue
        rate = Decimal(start.group(1).replace(",", "."))
        rest = "   ".join([line[0].text[start.end():], *(s.text for s in line[1:])])
        found = [abs(a.value) for a in amounts(rest)]
        for taxable, vat in pairwise(found):
            if _agrees(taxable, rate, vat) and rate not in rows:
                rows[rate] = VatLine(rate, taxable, vat)
                break
    return list(rows.values())


def _cross_check(
    seen: dict[str, list[Decimal]], breakdown: list[VatLine],
) -> tuple[Decimal | None, Decimal | None, Decimal | None, bool]:
    vats = list(seen["vat"])
    if len(breakdown) > 1:
        vats.insert(0, sum((line.vat or Decimal(0) for line in breakdown), Decimal(0)))
    # the last "total" on a page is the grand total; subtotals come before it
    incls = list(reversed(seen["incl"]))
    for gross in incls:
        for net in seen["excl"]:
            for tax in [*vats, Decimal(0)]:
                if abs(net + tax - gross) < _CENT:
                    return net, tax, gross, True
    excl = seen["excl"][0] if seen["excl"] else None
    vat = vats[0] if vats else None
    incl = max(incls) if incls else None
    if incl is None and excl is not None and vat is not None:
        incl = excl + vat
    elif excl is None and incl is not None and vat is not None and vat < incl:
        excl = incl - vat
    elif vat is None and incl is not None and excl is not None and excl <= incl:
        vat = incl - excl
    return excl, vat, incl, False
