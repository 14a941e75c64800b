"""The rules of a sales invoice, pure: VAT categories, lines, allowances and charges,
totals as EN16931 computes them, the Belgian structured communication, and the errors
that name the field a rule concerns.

Amounts are ``Decimal`` and travel in events as strings ("12.50"): never a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound

CENT = Decimal("0.01")
#: EN16931 VAT category codes (UNCL5305) a Belgian seller uses.
VAT_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O")
#: Categories whose rate is always 0 (O has none at all).
ZERO_RATED = frozenset({"Z", "E", "AE", "K", "G", "O"})
#: Categories that need an exemption reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
NEEDS_REASON = frozenset({"E", "AE", "K", "G", "O"})
#: Units of measure (UN/ECE Recommendation 20) offered on a line.
UNITS = ("C62", "HUR", "DAY", "MON", "KGM", "MTR", "LTR", "MTK", "KMT", "EA")
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "vat_category", "vat_rate",
               "exemption_reason")
ADJUSTMENT_FIELDS = ("charge", "reason", "amount", "vat_category", "vat_rate",
                     "exemption_reason")
CUSTOMER_FIELDS = ("name", "enterprise_number", "vat", "street", "postal_code", "city",
                   "country", "email", "reference")
KINDS = ("invoice", "credit-note")


class InvoiceNotFound(NotFound):
    """Raised when the client has no such invoice (or the caller may not see it)."""


class InvoiceAlreadyIssued(DomainError):
    """Raised when a command would change an issued invoice: correct it with a credit
    note instead."""

    code = "conflict"


class InvoiceNotIssued(DomainError):
    """Raised when a credit note is asked for an invoice still in draft: edit the draft."""

    code = "conflict"


class InvoiceAlreadySent(DomainError):
    """Raised when an invoice that was sent is sent again: the customer has it."""

    code = "conflict"


class InvoiceNotInTransit(DomainError):
    """Raised when a delivery outcome is recorded for an invoice that is not on its way
    over Peppol (never sent there, delivered already, or its sending failed)."""

    code = "conflict"


class InvoiceRulesBroken(InvalidValue):
    """Raised when the invoice's UBL breaks a fatal rule of the UBL schema, EN16931 or
    Peppol BIS 3: it is not issued. ``fields`` maps each field concerned (``customer``,
    ``lines[0]``, ``settings.iban``, or ``invoice``) to the rules' messages; fix them
    and issue again."""

    def __init__(self, fields: dict[str, str]) -> None:
        first = next(iter(fields))
        super().__init__(first, fields[first])
        self.fields = fields


class InvoiceSettingsMissing(DomainError):
    """Raised when an invoice is issued before the client's invoice settings (seller,
    IBAN) are saved: save them first."""

    code = "conflict"


def is_country(value: str) -> bool:
    return len(value) == 2 and all("A" <= c <= "Z" for c in value)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain_text(value: object, field: str, max_length: int = 200) -> str:
    """The value as text for an XML document: control characters and lone surrogates
    are refused (the UBL could not carry them)."""
    text = str(value if value is not None else "").strip()
    if any((ord(c) < 32 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF
           or ord(c) in (0xFFFE, 0xFFFF) for c in text):
        raise InvalidValue(field, "contains a control character")
    return text[:max_length]


#: Amounts and quantities larger than this are refused (no invoice needs them).
_LARGEST = Decimal(10) ** 12


def decimal(value: object, field: str, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidValue(field, "must be a number") from None
    if not number.is_finite():
        raise InvalidValue(field, "must be a number")
    if abs(number) >= _LARGEST or (number != 0 and abs(number) < Decimal("1e-6")):
        raise InvalidValue(field, "is out of range (at most 12 digits, 6 decimals)")
    if positive and number <= 0:
        raise InvalidValue(field, "must be more than 0")
    if number < 0:
        raise InvalidValue(field, "cannot be negative")
    return number


def _rate(category: str, value: object, field: str) -> str:
    if category == "O":
        return ""
    rate = decimal(value if value not in (None, "") else "0", field)
    if category in ZERO_RATED and rate != 0:
        raise InvalidValue(field, f"must be 0 for VAT category {category}")
    if category == "S" and rate == 0:
        raise InvalidValue(field, "must be more than 0 for VAT category S (use Z for 0%)")
    if rate > 100:
        raise InvalidValue(field, "must be a percentage up to 100")
    return f"{rate.normalize():f}"


def _category(values: Mapping[str, object], prefix: str) -> dict[str, str]:
    category = plain_text(values.get("vat_category") or "S", f"{prefix}.vat_category").upper()
    if category not in VAT_CATEGORIES:
        raise InvalidValue(f"{prefix}.vat_category", f"must be one of {', '.join(VAT_CATEGORIES)}")
    reason = plain_text(values.get("exemption_reason"), f"{prefix}.exemption_reason", 300)
    if category in NEEDS_REASON and not reason:
        raise InvalidValue(f"{prefix}.exemption_reason",
                           f"is required for VAT category {category}")
    if category not in NEEDS_REASON:
        reason = ""
    return {"vat_category": category,
            "vat_rate": _rate(category, values.get("vat_rate"), f"{prefix}.vat_rate"),
            "exemption_reason": reason[:300]}


def checked_line(values: Mapping[str, object], index: int) -> dict[str, str]:
    prefix = f"lines[{index}]"
    description = plain_text(values.get("description"), f"{prefix}.description", 500)
    if not description:
        raise InvalidValue(f"{prefix}.description", "is required")
    unit = plain_text(values.get("unit") or "C62", f"{prefix}.unit").upper()
    if unit not in UNITS:
        raise InvalidValue(f"{prefix}.unit", f"must be one of {', '.join(UNITS)}")
    quantity = decimal(values.get("quantity", ""), f"{prefix}.quantity", positive=True)
    price = decimal(values.get("unit_price", ""), f"{prefix}.unit_price")
    return {"description": description[:500], "quantity": f"{quantity.normalize():f}",
            "unit": unit, "unit_price": f"{price.normalize():f}", **_category(values, prefix)}


def checked_adjustment(values: Mapping[str, object], index: int) -> dict[str, str]:
    prefix = f"adjustments[{index}]"
    reason = plain_text(values.get("reason"), f"{prefix}.reason")
    if not reason:
        raise InvalidValue(f"{prefix}.reason", "is required")
    amount = decimal(values.get("amount", ""), f"{prefix}.amount", positive=True)
    charge = str(values.get("charge", "false")).lower() in ("true", "1", "on", "yes")
    return {"charge": "true" if charge else "false", "reason": reason[:200],
            "amount": f"{cents(amount):f}", **_category(values, prefix)}


def checked_customer(values: Mapping[str, object]) -> dict[str, str]:
    customer = {name: plain_text(values.get(name), f"customer.{name}")
                for name in CUSTOMER_FIELDS}
    for name in ("name", "street", "postal_code", "city", "country"):
        if not customer[name]:
            raise InvalidValue(f"customer.{name}", "is required")
    customer["country"] = customer["country"].upper()
    if not is_country(customer["country"]):
        raise InvalidValue("customer.country", "must be an ISO 3166 code such as BE")
    if customer["country"] == "BE" and customer["enterprise_number"]:
        from stdnum.be import vat as be_vat

        try:
            customer["enterprise_number"] = be_vat.compact(customer["enterprise_number"])
            be_vat.validate(customer["enterprise_number"])
        except Exception:
            raise InvalidValue("customer.enterprise_number",
                               "is not a valid Belgian enterprise number") from None
    return customer


def structured_communication(base: int) -> str:
    """The Belgian structured communication +++ddd/dddd/ddddd+++ for a 10-digit base:
    its last two digits are the base modulo 97 (97 when that is 0)."""
    if not 0 <= base < 10**10:
        raise InvalidValue("structured_communication", "needs a base of at most 10 digits")
    check = base % 97 or 97
    digits = f"{base:010d}{check:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def valid_structured_communication(value: str) -> bool:
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 12:
        return False
    base, check = int(digits[:10]), int(digits[10:])
    return (base % 97 or 97) == check
