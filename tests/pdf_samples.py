"""A one-page text PDF invoice of our own (reportlab), for tests that read or picture
a real PDF."""

from __future__ import annotations

import io


def pdf_invoice(*, number: str = "F2026-204", supplier: str = "Brouwerij Het Anker BV",
                supplier_vat: str = "BE0403.170.701", customer: str = "Bakkerij Claes",
                customer_vat: str = "BE0202.239.951") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    lines = [
        (16, supplier), (10, "Guido Gezellelaan 49, 2800 Mechelen"),
        (10, f"BTW {supplier_vat}"), (10, ""), (10, "Aan:"), (10, customer),
        (10, f"BTW {customer_vat}"), (10, ""), (14, "FACTUUR"),
        (10, f"Factuurnummer: {number}"), (10, "Factuurdatum: 03/11/2026"),
        (10, "Vervaldatum: 03/12/2026"), (10, ""),
        (10, "Tripel Karmeliet 24 x 33 cl                      100,00"),
        (10, ""), (10, "Totaal excl. btw: 100,00 EUR"), (10, "Btw 21%: 21,00 EUR"),
        (12, "Totaal incl. btw: 121,00 EUR"),
        (10, "IBAN BE68 5390 0754 7034"),
    ]
    y = 800
    for size, text in lines:
        pdf.setFont("Helvetica", size)
        pdf.drawString(60, y, text)
        y -= size + 8
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
