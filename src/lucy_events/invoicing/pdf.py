"""The PDF of an issued invoice: an HTML template in the invoice's language, with the
seller's logo and the structured communication, drawn by weasyprint."""

from __future__ import annotations

import base64
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_totals import line_net
from lucy_events.invoicing.ubl import Issue
from lucy_events.invoicing.wording import WORDS


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("lucy_events.invoicing", "templates"),
                       autoescape=select_autoescape(["html"]))


def invoice_html(invoice: Invoice, issue: Issue, language: str,
                 logo: tuple[bytes, str] | None = None) -> str:
    logo_url = (f"data:{logo[1]};base64,{base64.b64encode(logo[0]).decode()}"
                if logo else None)
    lines = [dict(line, net=f"{line_net(line):.2f}") for line in invoice.lines]
    return _environment().get_template("invoice.html").render(
        w=WORDS[language], language=language, kind=invoice.kind, issue=issue,
        logo=logo_url, customer=invoice.customer, due_date=invoice.due_date,
        credited_number=invoice.credited_number, note=invoice.note, lines=lines,
        adjustments=invoice.adjustments, totals=invoice.totals, currency=invoice.currency)


def render_pdf(invoice: Invoice, issue: Issue, language: str,
               logo: tuple[bytes, str] | None = None) -> bytes:
    """The invoice as PDF; ``logo`` is (content, media type) when the settings have one."""
    from weasyprint import HTML  # loads pango: only when a PDF is drawn

    html = invoice_html(invoice, issue, language, logo)
    return bytes(HTML(string=html).write_pdf())
