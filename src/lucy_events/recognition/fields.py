"""What recognition reads from a document: the fields, how they were found, how sure.

The one shape shared by the extraction methods, the ``recognise`` command's JSON, the
``DocumentRecognised`` event and the dashboard.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

#: How a document was read, in the order the pipeline tries them.
METHODS = ("ubl", "factur-x", "pdf-text", "ocr", "none")

#: The document types recognition can say (the Document's own vocabulary, before the
#: purchase/sales side is known: ``invoice`` and ``credit-note`` are sided by comparing
#: the parties with the client's own numbers, see ``parties.sided_type``).
RECOGNISED_KINDS = ("invoice", "credit-note", "receipt", "other")

#: The keys of ``lucy-events recognise FILE --json``, in this order.
JSON_KEYS = (
    "document_type", "supplier_name", "supplier_vat", "customer_name", "customer_vat",
    "invoice_number", "issue_date", "due_date", "currency", "total_excl_vat", "total_vat",
    "total_incl_vat", "iban", "structured_communication", "method", "confidence",
)


@dataclass(frozen=True)
class VatLine:
    """One rate of the VAT breakdown."""

    rate: Decimal
    taxable: Decimal | None
    vat: Decimal | None


@dataclass(frozen=True)
class Recognition:
    """The fields one method read from a document.

    ``confidence`` is between 0 and 1; ``document_type`` is one of the Document's types
    (``purchase-invoice``, ``sales-credit-note``, ``receipt``, ``other``...) or None when
    the type could not be told. ``reason`` says why nothing (or little) was read.
    """

    method: str
    confidence: float
    document_type: str | None = None
    supplier_name: str | None = None
    supplier_vat: str | None = None
    supplier_enterprise_number: str | None = None
    customer_name: str | None = None
    customer_vat: str | None = None
    invoice_number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    total_excl_vat: Decimal | None = None
    total_vat: Decimal | None = None
    total_incl_vat: Decimal | None = None
    vat_breakdown: tuple[VatLine, ...] = field(default_factory=tuple)
    iban: str | None = None
    structured_communication: str | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``recognise --json`` shape: exactly ``JSON_KEYS``; numbers as numbers,
        dates as YYYY-MM-DD, missing values None."""
        values = asdict(self)
        out: dict[str, Any] = {}
        for key in JSON_KEYS:
            value = values[key]
            if isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[key] = value
        return out
