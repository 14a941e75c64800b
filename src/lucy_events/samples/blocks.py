"""The lower half of an A4 document: the lines table, the totals (with the VAT per rate
or a VAT breakdown table), the payment instructions and the footer."""

from __future__ import annotations

from lucy_events.samples.formats import enterprise_display, vat_display
from lucy_events.samples.numbers import grouped_iban
from lucy_events.samples.sheet import Sheet


def lines_table(sheet: Sheet, y: float) -> float:
    words, formats, layout = sheet.words, sheet.formats, sheet.layout
    left, right = sheet.margin, sheet.width - sheet.margin
    columns = [(words["description"], left + 4, "left"), (words["quantity"], 330, "right"),
               (words["unit_price"], 405, "right"), (words["rate"], 455, "right"),
               (words["amount"], right - 4, "right")]
    if layout.lines == "grid":
        sheet.box(left, y - 6, right - left, 18, fill=layout.accent, stroke=False)
        header_colour = (1.0, 1.0, 1.0)
    else:
        header_colour = (0.0, 0.0, 0.0)
    for title, x, align in columns:
        sheet.text(x, y, title, 8, bold=True, align=align, colour=header_colour)
    y -= 10
    if layout.lines != "grid":
        sheet.rule(left, y, right, 1)
    y -= 14
    for index, line in enumerate(sheet.invoice.lines):
        if layout.lines == "striped" and index % 2 == 0:
            sheet.box(left, y - 5, right - left, 16, fill=(0.94, 0.94, 0.96), stroke=False)
        values = [line.description, formats.quantity(line.quantity),
                  formats.number(line.unit_price), formats.rate(line.vat_rate),
                  formats.number(line.amount)]
        for value, (_, x, align) in zip(values, columns, strict=True):
            sheet.text(x, y, value, 9, align=align)
        if layout.lines == "grid":
            sheet.rule(left, y - 5, right, 0.3, colour=(0.6, 0.6, 0.6))
        y -= 16
    sheet.rule(left, y + 4, right, 0.8)
    return y - 14


def totals(sheet: Sheet, y: float) -> float:
    invoice, words, formats = sheet.invoice, sheet.words, sheet.formats
    on_right = sheet.layout.totals_side == "right"
    label_x = sheet.width - sheet.margin - 230 if on_right else sheet.margin
    value_x = sheet.width - sheet.margin if on_right else sheet.margin + 230
    rows = [(words["excl"], sheet.money(invoice.total_excl_vat), False)]
    if sheet.layout.vat_table:
        rows.append((words["vat_total"], sheet.money(invoice.total_vat), False))
    else:
        for vat in invoice.vat_breakdown:
            assert vat.taxable is not None and vat.vat is not None
            rows.append((f"{words['vat_total']} {formats.rate(vat.rate)} {words['on']} "
                         f"{formats.number(vat.taxable)}", sheet.money(vat.vat), False))
    rows.append((words["incl"], sheet.money(invoice.total_incl_vat), True))
    for label, value, strong in rows:
        if strong:
            sheet.rule(label_x, y + 11, value_x, 0.8)
        sheet.text(label_x, y, label, 10 if strong else 9, bold=strong)
        sheet.text(value_x, y, value, 10 if strong else 9, bold=strong, align="right")
        y -= 15
    if sheet.layout.vat_table:
        y = _vat_table(sheet, y - 8)
    return y - 10


def _vat_table(sheet: Sheet, y: float) -> float:
    words, formats = sheet.words, sheet.formats
    x = sheet.margin if sheet.layout.totals_side == "right" else sheet.width / 2 + 20
    sheet.text(x, y, words["rate"], 8, bold=True)
    sheet.text(x + 130, y, words["excl"], 8, bold=True, align="right")
    sheet.text(x + 220, y, words["vat_total"], 8, bold=True, align="right")
    sheet.rule(x, y - 4, x + 220, 0.5)
    for vat in sheet.invoice.vat_breakdown:
        assert vat.taxable is not None and vat.vat is not None
        y -= 14
        sheet.text(x, y, formats.rate(vat.rate), 8)
        sheet.text(x + 130, y, formats.number(vat.taxable), 8, align="right")
        sheet.text(x + 220, y, formats.number(vat.vat), 8, align="right")
    return y - 10


def payment(sheet: Sheet, y: float) -> None:
    invoice, words = sheet.invoice, sheet.words
    supplier = invoice.supplier
    if invoice.kind != "invoice" or not supplier.iban:
        if invoice.kind == "credit-note" and sheet.layout.bank == "box":
            _bank_box(sheet, y, [f"IBAN {grouped_iban(supplier.iban or '')}"])
        return
    lines = [words["terms"], f"IBAN {grouped_iban(supplier.iban)}  BIC {supplier.bic}"]
    if invoice.structured_communication:
        lines.append(f"{words['reference']}: {invoice.structured_communication}")
    if sheet.layout.bank == "box":
        _bank_box(sheet, y, lines)
    else:
        sheet.lines_of_text(sheet.margin, y, [lines[0], *lines[2:]], 9)


def _bank_box(sheet: Sheet, y: float, lines: list[str]) -> None:
    height = 14 * len(lines) + 10
    sheet.box(sheet.margin, y - height + 10, 300, height, fill=(0.95, 0.95, 0.9))
    sheet.lines_of_text(sheet.margin + 8, y, lines, 9)


def footer(sheet: Sheet) -> None:
    supplier, words, layout = sheet.invoice.supplier, sheet.words, sheet.layout
    parts = [supplier.name, f"{supplier.address.street}, {supplier.address.city_line}"]
    if layout.vat_in_footer and supplier.vat:
        parts.append(f"{words['vat']} {vat_display(supplier.vat, sheet.rng)}")
    label = sheet.enterprise_label(supplier.country)
    if supplier.enterprise_number and label:
        parts.append(f"{label} {enterprise_display(supplier.country, supplier.enterprise_number)}")
    second = []
    if supplier.iban and (layout.bank == "footer" or sheet.invoice.kind != "invoice"):
        second.append(f"{words['bank']}: IBAN {grouped_iban(supplier.iban)} - BIC {supplier.bic}")
    if supplier.country == "DE":
        second.append(f"Amtsgericht {supplier.address.city} HRB {sheet.rng.randrange(1000, 99999)}")
    sheet.rule(sheet.margin, 62, sheet.width - sheet.margin, 0.5, colour=layout.accent)
    sheet.text(sheet.width / 2, 50, "  ·  ".join(parts), 7, align="centre")
    if second:
        sheet.text(sheet.width / 2, 40, "  ·  ".join(second), 7, align="centre")
