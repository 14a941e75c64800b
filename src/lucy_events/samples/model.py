"""What a generated document says, before it is drawn or written as XML: the parties,
the lines, the totals computed from them, and the label recognition should read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lucy_events.recognition.fields import Recognition, VatLine

CENT = Decimal("0.01")
KINDS = ("invoice", "credit-note", "receipt")
SIDES = ("purchase", "sales")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166 alpha-2

    @property
    def city_line(self) -> str:
        return f"{self.postal_code} {self.city}"


@dataclass(frozen=True)
class Party:
    """A company on a document. ``vat`` and ``enterprise_number`` are compact
    (``BE0403170701``, ``0403170701``): the label's form; documents print them their own way."""

    name: str
    address: Address
    vat: str | None
    enterprise_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def country(self) -> str:
        return self.address.country

    @property
    def own_numbers(self) -> frozenset[str]:
        """The numbers a client would register as its own (``recognise(own_numbers=)``)."""
        return frozenset(n for n in (self.vat, self.enterprise_number) if n)


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def amount(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Invoice:
    """One invoice, credit note or receipt. ``side`` is the client's view: ``purchase``
    when the client is the customer, ``sales`` when it is the supplier. Amounts of a
    credit note are positive, as on paper and in UBL."""

    kind: str
    side: str
    language: str
    number: str
    issue_date: date
    due_date: date | None
    currency: str
    supplier: Party
    customer: Party
    lines: tuple[Line, ...]
    structured_communication: str | None = None
    credited_invoice: str | None = None
    show_customer: bool = True  # a till receipt does not name its customer

    @property
    def client(self) -> Party:
        """The party whose documents these are."""
        return self.supplier if self.side == "sales" else self.customer

    @property
    def own_numbers(self) -> frozenset[str]:
        return self.client.own_numbers

    @property
    def document_type(self) -> str:
        if self.kind == "receipt":
            return "receipt"
        return f"{self.side}-{self.kind}"

    @property
    def vat_breakdown(self) -> tuple[VatLine, ...]:
        rates = sorted({line.vat_rate for line in self.lines}, reverse=True)
        out = []
        for rate in rates:
            taxable = sum((li.amount for li in self.lines if li.vat_rate == rate), Decimal(0))
            out.append(VatLine(rate=rate, taxable=taxable, vat=cents(taxable * rate / 100)))
        return tuple(out)

    @property
    def total_excl_vat(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total_vat(self) -> Decimal:
        return sum((v.vat or Decimal(0) for v in self.vat_breakdown), Decimal("0.00"))

    @property
    def total_incl_vat(self) -> Decimal:
        return self.total_excl_vat + self.total_vat

    def label(self, method: str) -> Recognition:
        """What recognition should read from this document, read by ``method``."""
        customer = self.customer if self.show_customer else None
        return Recognition(
            method=method, confidence=1.0, document_type=self.document_type,
            supplier_name=self.supplier.name, supplier_vat=self.supplier.vat,
            supplier_enterprise_number=self.supplier.enterprise_number,
            customer_name=customer.name if customer else None,
            customer_vat=customer.vat if customer else None,
            invoice_number=self.number, issue_date=self.issue_date, due_date=self.due_date,
            currency=self.currency, total_excl_vat=self.total_excl_vat,
            total_vat=self.total_vat, total_incl_vat=self.total_incl_vat,
            vat_breakdown=self.vat_breakdown,
            iban=self.supplier.iban if self.kind != "receipt" else None,
            structured_communication=self.structured_communication,
        )
