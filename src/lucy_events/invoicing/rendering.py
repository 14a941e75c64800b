"""An invoice made ready to issue: its PDF drawn, embedded in its UBL, and the UBL
validated with the official rules (UBL 2.1 XSD, CEN EN16931, Peppol BIS 3)."""

from __future__ import annotations

from dataclasses import dataclass

from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_rules import InvoiceRulesBroken
from lucy_events.invoicing.findings import fields_of
from lucy_events.invoicing.pdf import render_pdf
from lucy_events.invoicing.ubl import Issue, render_ubl
from lucy_events.peppol.validation import ValidationResult, validate


@dataclass(frozen=True)
class Rendered:
    ubl: bytes
    pdf: bytes
    validation: ValidationResult


def rendered(invoice: Invoice, issue: Issue, language: str,
             logo: tuple[bytes, str] | None) -> Rendered:
    """The PDF and the UBL embedding it; raises ``InvoiceRulesBroken`` (each field with
    its rules' messages) when a fatal rule is broken."""
    pdf = render_pdf(invoice, issue, language, logo)
    ubl = render_ubl(invoice, issue, pdf)
    result = validate(ubl)
    if not result.valid:
        raise InvoiceRulesBroken(fields_of(result.errors))
    return Rendered(ubl, pdf, result)
