"""Text PDFs of invoices and credit notes (reportlab), in one of the ``layouts``:
header with a drawn logo, supplier and customer blocks, invoice data, then the lines,
totals and bank details of ``blocks``. Output is byte-for-byte the same for a seed."""

from __future__ import annotations

import io
import random

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from lucy_events.samples import blocks, ticket
from lucy_events.samples.formats import Formats, enterprise_display, vat_display
from lucy_events.samples.layouts import Layout
from lucy_events.samples.model import Invoice, Party
from lucy_events.samples.sheet import Sheet
from lucy_events.samples.wording import Wording


def render_pdf(invoice: Invoice, layout: Layout, rng: random.Random,
               formats: Formats | None = None) -> bytes:
    """The document as a one-page text PDF."""
    out = io.BytesIO()
    words = Wording(invoice.language, rng)
    formats = formats or Formats.choose(invoice.language, rng)
    if invoice.kind == "receipt":
        return ticket.render(invoice, words, formats, rng)
    canvas = Canvas(out, pagesize=A4, invariant=True)
    title = f"{words[invoice.kind].capitalize()} {invoice.number}"
    canvas.setTitle(title)
    canvas.setAuthor(invoice.supplier.name)
    sheet = Sheet(canvas, invoice, layout, words, formats, rng, *A4)
    y = _header(sheet)
    y = _parties(sheet, y)
    y = _meta(sheet, y)
    y = blocks.lines_table(sheet, y)
    y = blocks.totals(sheet, y)
    blocks.payment(sheet, y)
    blocks.footer(sheet)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _supplier_lines(sheet: Sheet, party: Party, with_vat: bool) -> list[str]:
    lines = [party.name, party.address.street, party.address.city_line]
    if sheet.rng.random() < 0.3:
        lines.append(sheet.country(party.country))
    if with_vat and party.vat:
        lines.append(f"{sheet.words['vat']}: {vat_display(party.vat, sheet.rng)}")
    label = sheet.enterprise_label(party.country)
    if with_vat and party.enterprise_number and label and party.country != "BE":
        lines.append(f"{label}: {enterprise_display(party.country, party.enterprise_number)}")
    if party.phone and sheet.rng.random() < 0.6:
        lines.append(f"Tel. {party.phone}")
    if party.email:
        lines.append(party.email)
    return lines


def _logo(sheet: Sheet, x: float, y: float) -> None:
    """A drawn logo: a shape in the accent colour with the supplier's initials."""
    c, (r, g, b) = sheet.canvas, sheet.layout.accent
    words = [w for w in sheet.invoice.supplier.name.split() if w[0].isalpha()]
    initials = "".join(word[0] for word in words[:2]).upper()
    c.setFillColorRGB(r, g, b)
    shape = sheet.layout.logo
    if shape == "circle":
        c.circle(x + 22, y + 22, 22, stroke=0, fill=1)
    elif shape == "square":
        c.roundRect(x, y, 44, 44, 6, stroke=0, fill=1)
    elif shape == "triangle":
        path = c.beginPath()
        path.moveTo(x, y)
        path.lineTo(x + 48, y)
        path.lineTo(x + 24, y + 44)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
    elif shape == "monogram":
        c.setStrokeColorRGB(r, g, b)
        c.setLineWidth(2)
        c.circle(x + 22, y + 22, 22, stroke=1, fill=0)
        sheet.text(x + 22, y + 15, initials, 18, bold=True, align="centre", colour=(r, g, b))
        return
    sheet.text(x + 22 + (2 if shape == "triangle" else 0), y + 14, initials, 15, bold=True,
               align="centre", colour=(1, 1, 1))


def _header(sheet: Sheet) -> float:
    top, layout, left = sheet.height - sheet.margin, sheet.layout, sheet.margin
    right = sheet.width - sheet.margin
    title = sheet.words[sheet.invoice.kind]
    if layout.logo == "band":
        sheet.box(0, sheet.height - 70, sheet.width, 70, fill=layout.accent, stroke=False)
        sheet.text(left, sheet.height - 45, sheet.invoice.supplier.name, 18, bold=True,
                   colour=(1, 1, 1))
        sheet.text(right, sheet.height - 45, title, 20, bold=True, align="right",
                   colour=(1, 1, 1))
        top = sheet.height - 95
    elif layout.logo != "none":
        x = left if layout.supplier_side == "left" else right - 48
        _logo(sheet, x, top - 44)
        top -= 56
    lines = _supplier_lines(sheet, sheet.invoice.supplier, not layout.vat_in_footer)
    if layout.supplier_side == "left":
        y = sheet.lines_of_text(left, top, lines, first_bold=True)
        if layout.logo != "band":
            sheet.text(right, sheet.height - sheet.margin - 20, title, 22, bold=True,
                       align="right", colour=layout.accent)
    else:
        y = sheet.lines_of_text(right, top, lines, first_bold=True, align="right")
        if layout.logo != "band":
            sheet.text(left, sheet.height - sheet.margin - 20, title, 22, bold=True,
                       colour=layout.accent)
    return y - 10


def _parties(sheet: Sheet, y: float) -> float:
    invoice = sheet.invoice
    customer = invoice.customer
    lines = [customer.name, customer.address.street, customer.address.city_line]
    if customer.country != invoice.supplier.country:
        lines.append(sheet.country(customer.country))
    if customer.vat:
        lines.append(f"{sheet.words['vat']}: {vat_display(customer.vat, sheet.rng)}")
    # The customer goes opposite the supplier, where a window envelope shows it.
    x = sheet.width / 2 + 40 if sheet.layout.supplier_side == "left" else sheet.margin
    sheet.text(x, y, sheet.words["customer"], 8, colour=(0.35, 0.35, 0.35))
    return sheet.lines_of_text(x, y - 13, lines, 10, first_bold=True) - 14


def _meta(sheet: Sheet, y: float) -> float:
    invoice, words, formats = sheet.invoice, sheet.words, sheet.formats
    number_key = "credit_number" if invoice.kind == "credit-note" else "number"
    items = [(words[number_key], invoice.number), (words["date"], formats.date(invoice.issue_date))]
    if invoice.due_date is not None and invoice.kind == "invoice":
        items.append((words["due"], formats.date(invoice.due_date)))
    if invoice.credited_invoice:
        items.append((words["credits"], invoice.credited_invoice))
    left = sheet.margin
    if sheet.layout.meta == "table":
        width = (sheet.width - 2 * left) / len(items)
        for index, (label, value) in enumerate(items):
            x = left + index * width
            sheet.box(x, y - 30, width, 30, fill=(0.93, 0.93, 0.93))
            sheet.text(x + 6, y - 11, label, 7, colour=(0.3, 0.3, 0.3))
            sheet.text(x + 6, y - 24, value, 10, bold=True)
        return y - 48
    for label, value in items:
        sheet.text(left, y, f"{label}:", 9)
        sheet.text(left + 130, y, value, 9, bold=True)
        y -= 13
    return y - 12
