"""An invoice as the API and the dashboard show it: amounts as decimal strings."""

from __future__ import annotations

from typing import Any

from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_totals import line_net


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    totals = invoice.totals
    return {
        "id": invoice.id, "kind": invoice.kind,
        "status": invoice.status, "number": invoice.number,
        "sent_to": invoice.sent_to, "send_failure": invoice.send_failure,
        "sent_via": invoice.sent_via, "transmission_id": invoice.transmission_id,
        "issue_date": invoice.issue_date, "due_date": invoice.due_date,
        "structured_communication": invoice.structured_communication,
        "credited_invoice_id": invoice.credited_invoice_id,
        "credited_number": invoice.credited_number, "customer": invoice.customer,
        "lines": [{**line, "net": f"{line_net(line):.2f}"} for line in invoice.lines],
        "adjustments": [{**a, "charge": a["charge"] == "true"} for a in invoice.adjustments],
        "note": invoice.note, "document_id": invoice.document_id,
        "totals": {"lines": f"{totals.lines:.2f}", "allowances": f"{totals.allowances:.2f}",
                   "charges": f"{totals.charges:.2f}", "excl_vat": f"{totals.excl_vat:.2f}",
                   "vat": f"{totals.vat:.2f}", "incl_vat": f"{totals.incl_vat:.2f}",
                   "breakdown": [{"category": s.category, "rate": s.rate,
                                  "exemption_reason": s.exemption_reason,
                                  "taxable": f"{s.taxable:.2f}", "vat": f"{s.vat:.2f}"}
                                 for s in totals.breakdown]},
    }


def adjustments_for_command(adjustments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """API booleans to the domain's ``"true"``/``"false"``."""
    return [{**a, "charge": "true" if a.get("charge") else "false"} for a in adjustments]
