"""An invoice's totals as EN16931 computes them, pure: each line's net amount rounded to
cents, then the sums, then VAT per category and rate rounded to cents (BR-CO-10..17)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lucy_events.aggregates.invoice_rules import cents


@dataclass(frozen=True)
class VatSubtotal:
    category: str
    rate: str  # "" for category O
    exemption_reason: str
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    """EN16931's document totals (BT-106..BT-115) and VAT breakdown (BG-23)."""

    lines: Decimal
    allowances: Decimal
    charges: Decimal
    excl_vat: Decimal
    vat: Decimal
    incl_vat: Decimal
    breakdown: tuple[VatSubtotal, ...]

    @property
    def payable(self) -> Decimal:
        return self.incl_vat


def line_net(line: Mapping[str, str]) -> Decimal:
    """BT-131: quantity times net price, rounded to cents."""
    return cents(Decimal(line["quantity"]) * Decimal(line["unit_price"]))


def totals(lines: Sequence[Mapping[str, str]],
           adjustments: Sequence[Mapping[str, str]] = ()) -> Totals:
    """Line nets first, then the sums, then VAT per category and rate rounded to cents
    (BR-CO-10..17)."""
    groups: dict[tuple[str, str], list[Decimal]] = {}
    reasons: dict[tuple[str, str], str] = {}
    for item, amount in [(line, line_net(line)) for line in lines] + [
            (a, Decimal(a["amount"]) * (1 if a["charge"] == "true" else -1))
            for a in adjustments]:
        key = (item["vat_category"], item["vat_rate"])
        groups.setdefault(key, []).append(amount)
        reasons.setdefault(key, item.get("exemption_reason", ""))
    breakdown = []
    for (category, rate), amounts in groups.items():
        taxable = cents(sum(amounts, Decimal(0)))
        vat = cents(taxable * Decimal(rate or "0") / 100)
        breakdown.append(VatSubtotal(category, rate, reasons[(category, rate)], taxable, vat))
    line_sum = sum((line_net(line) for line in lines), Decimal(0))
    allowances = sum((Decimal(a["amount"]) for a in adjustments if a["charge"] != "true"),
                     Decimal(0))
    charges = sum((Decimal(a["amount"]) for a in adjustments if a["charge"] == "true"),
                  Decimal(0))
    excl = line_sum - allowances + charges
    vat_total = sum((s.vat for s in breakdown), Decimal(0))
    return Totals(cents(line_sum), cents(allowances), cents(charges), cents(excl),
                  cents(vat_total), cents(excl + vat_total), tuple(breakdown))
