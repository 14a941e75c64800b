"""Which field of the invoice form a broken rule concerns, from the rule's location in
the UBL (an XPath such as ``/*:Invoice/*:InvoiceLine[2]/*:Item``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lucy_events.peppol.svrl import Finding

_INDEXED = {"InvoiceLine": "lines", "CreditNoteLine": "lines", "AllowanceCharge": "adjustments"}
_PLAIN = (("AccountingSupplierParty", "settings.seller"),
          ("PayeeFinancialAccount", "settings.iban"), ("PaymentMeans", "settings.iban"),
          ("AccountingCustomerParty", "customer"), ("Delivery", "customer.country"),
          ("DueDate", "due_date"), ("PaymentTerms", "due_date"),
          ("BillingReference", "credited_invoice_id"))
_STEP = re.compile(r"(?:\*:|cac:|cbc:)?([A-Za-z]+)(?:\[(\d+)\])?")


def field_of(location: str) -> str:
    """The form field a rule's location points at; ``invoice`` when none fits."""
    steps = [m.groups() for m in (_STEP.match(s) for s in location.split("/") if s) if m]
    for name, index in steps:
        if name in _INDEXED:
            return f"{_INDEXED[name]}[{int(index or 1) - 1}]"
    for name, _ in steps:
        for element, field in _PLAIN:
            if name == element:
                return field
    return "invoice"


def fields_of(errors: Iterable[Finding]) -> dict[str, str]:
    """Each field concerned, with the messages of the rules it breaks (rule id first)."""
    fields: dict[str, list[str]] = {}
    for finding in errors:
        fields.setdefault(field_of(finding.location), []).append(
            f"[{finding.rule}] {finding.message.strip()}")
    return {field: " ".join(messages) for field, messages in fields.items()}
