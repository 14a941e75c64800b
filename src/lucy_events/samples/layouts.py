"""The page layouts of generated documents: where the supplier, the customer, the
invoice data, the lines, the totals and the bank details go, and how they look.

Each layout is a combination real suppliers use; together they vary every position a
reader might lean on (supplier left or right, totals left or right, data as a label
block or a table row, bank details in a footer or a box, VAT in the header or footer).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    name: str
    logo: str  # circle | square | band | triangle | monogram | none
    supplier_side: str  # left | right
    meta: str  # block (label: value lines) | table (a row of boxed cells)
    lines: str  # grid | striped | plain
    totals_side: str  # right | left
    vat_table: bool  # a VAT breakdown table rather than one line per rate
    bank: str  # footer | box
    vat_in_footer: bool  # the supplier's VAT number only in the footer
    accent: tuple[float, float, float]
    font: str = "Helvetica"


LAYOUTS = (
    Layout("classic", logo="circle", supplier_side="left", meta="block", lines="grid",
           totals_side="right", vat_table=False, bank="footer", vat_in_footer=False,
           accent=(0.12, 0.32, 0.56)),
    Layout("letterhead", logo="band", supplier_side="left", meta="table", lines="striped",
           totals_side="right", vat_table=True, bank="box", vat_in_footer=True,
           accent=(0.55, 0.11, 0.15)),
    Layout("window", logo="square", supplier_side="right", meta="block", lines="plain",
           totals_side="right", vat_table=True, bank="footer", vat_in_footer=False,
           accent=(0.10, 0.45, 0.30), font="Times-Roman"),
    Layout("modern", logo="triangle", supplier_side="right", meta="table", lines="grid",
           totals_side="left", vat_table=False, bank="box", vat_in_footer=False,
           accent=(0.85, 0.45, 0.05)),
    Layout("compact", logo="none", supplier_side="left", meta="block", lines="striped",
           totals_side="left", vat_table=True, bank="footer", vat_in_footer=True,
           accent=(0.30, 0.30, 0.30)),
    Layout("studio", logo="monogram", supplier_side="left", meta="table", lines="plain",
           totals_side="right", vat_table=False, bank="box", vat_in_footer=False,
           accent=(0.40, 0.20, 0.60), font="Courier"),
)
#: Till receipts: a narrow roll, drawn by ``ticket``.
TICKET = Layout("ticket", logo="none", supplier_side="left", meta="block", lines="plain",
                totals_side="right", vat_table=True, bank="footer", vat_in_footer=False,
                accent=(0, 0, 0), font="Courier")
BY_NAME = {layout.name: layout for layout in (*LAYOUTS, TICKET)}
