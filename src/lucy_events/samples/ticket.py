"""Till receipts: an 80 mm roll in a monospaced font, centred shop header, one line per
item, the totals and the VAT per rate, as cash registers print them."""

from __future__ import annotations

import io
import random

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lucy_events.samples.formats import Formats, enterprise_display, vat_display
from lucy_events.samples.layouts import TICKET
from lucy_events.samples.model import Invoice
from lucy_events.samples.sheet import Sheet
from lucy_events.samples.wording import Wording

WIDTH = 80 * mm


def render(invoice: Invoice, words: Wording, formats: Formats, rng: random.Random) -> bytes:
    out = io.BytesIO()
    height = 290 + 26 * len(invoice.lines) + 14 * len(invoice.vat_breakdown)
    canvas = Canvas(out, pagesize=(WIDTH, height), invariant=True)
    canvas.setTitle(f"{words['receipt']} {invoice.number}")
    sheet = Sheet(canvas, invoice, TICKET, words, formats, rng, WIDTH, height, margin=12)
    supplier, centre, right = invoice.supplier, WIDTH / 2, WIDTH - 12
    y: float = height - 28
    y = sheet.lines_of_text(centre, y, [supplier.name, supplier.address.street,
                                        supplier.address.city_line], 8, first_bold=True,
                            align="centre")
    if supplier.vat:
        sheet.text(centre, y, f"{words['vat']} {vat_display(supplier.vat, rng)}", 8,
                   align="centre")
        y -= 11
    label = sheet.enterprise_label(supplier.country)
    if supplier.enterprise_number and label and supplier.country != "BE":
        number = enterprise_display(supplier.country, supplier.enterprise_number)
        sheet.text(centre, y, f"{label} {number}", 8, align="centre")
        y -= 11
    y -= 9
    sheet.text(centre, y, words["receipt"].upper(), 11, bold=True, align="centre")
    y -= 16
    sheet.text(12, y, f"{words['receipt_number']} {invoice.number}", 8)
    y -= 11
    sheet.text(12, y, f"{words['receipt_date']} {formats.date(invoice.issue_date)}"
               f"  {rng.randrange(8, 20):02d}:{rng.randrange(60):02d}", 8)
    y = _dashes(sheet, y - 8)
    for line in invoice.lines:
        sheet.text(12, y, line.description[:30], 8)
        y -= 11
        sheet.text(20, y, f"{formats.quantity(line.quantity)} x {formats.number(line.unit_price)}"
                   f"  {formats.rate(line.vat_rate)}", 8)
        sheet.text(right, y, formats.number(line.amount), 8, align="right")
        y -= 15
    y = _dashes(sheet, y + 4)
    for label, value, strong in (
        (words["excl"], invoice.total_excl_vat, False),
        (words["vat_total"], invoice.total_vat, False),
        (words["incl"], invoice.total_incl_vat, True),
    ):
        sheet.text(12, y, label, 10 if strong else 8, bold=strong)
        sheet.text(right, y, sheet.money(value), 10 if strong else 8, bold=strong,
                   align="right")
        y -= 14
    y = _dashes(sheet, y)
    for vat in invoice.vat_breakdown:
        assert vat.taxable is not None and vat.vat is not None
        sheet.text(12, y, f"{formats.rate(vat.rate)}  {formats.number(vat.taxable)}", 7)
        sheet.text(right, y, formats.number(vat.vat), 7, align="right")
        y -= 12
    payment = rng.choice(["Bancontact", "Maestro", "Visa", "Cash", "Payconiq"])
    sheet.text(12, y - 6, payment, 8)
    sheet.text(right, y - 6, formats.number(invoice.total_incl_vat), 8, align="right")
    sheet.text(centre, y - 34, words["thanks"], 8, align="centre")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _dashes(sheet: Sheet, y: float) -> float:
    sheet.text(12, y, "-" * 38, 8)
    return y - 14
