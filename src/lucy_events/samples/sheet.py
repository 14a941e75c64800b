"""A drawing surface for one document: a reportlab canvas with the document's words,
formats and layout, and small helpers to write text and draw shapes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from lucy_events.samples.formats import Formats
from lucy_events.samples.layouts import Layout
from lucy_events.samples.model import Invoice
from lucy_events.samples.wording import Wording

BOLD = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}
COUNTRY_NAMES = {
    "nl": {"BE": "België", "NL": "Nederland", "FR": "Frankrijk", "DE": "Duitsland"},
    "fr": {"BE": "Belgique", "NL": "Pays-Bas", "FR": "France", "DE": "Allemagne"},
    "en": {"BE": "Belgium", "NL": "Netherlands", "FR": "France", "DE": "Germany"},
    "de": {"BE": "Belgien", "NL": "Niederlande", "FR": "Frankreich", "DE": "Deutschland"},
}
ENTERPRISE_LABELS = {
    "BE": {"nl": "Ondernemingsnummer", "fr": "N° d'entreprise", "en": "Enterprise no.",
           "de": "Unternehmensnummer"},
    "NL": {"nl": "KvK", "fr": "KvK", "en": "Chamber of Commerce", "de": "KvK"},
    "FR": {"nl": "SIREN", "fr": "SIREN", "en": "SIREN", "de": "SIREN"},
}


@dataclass
class Sheet:
    canvas: Canvas
    invoice: Invoice
    layout: Layout
    words: Wording
    formats: Formats
    rng: random.Random
    width: float
    height: float
    margin: float = 50

    @property
    def bold(self) -> str:
        return BOLD[self.layout.font]

    def text(self, x: float, y: float, value: str, size: float = 9, bold: bool = False,
             align: str = "left", colour: tuple[float, float, float] = (0, 0, 0)) -> None:
        self.canvas.setFillColorRGB(*colour)
        self.canvas.setFont(self.bold if bold else self.layout.font, size)
        draw = {"left": self.canvas.drawString, "right": self.canvas.drawRightString,
                "centre": self.canvas.drawCentredString}[align]
        draw(x, y, value)
        self.canvas.setFillColorRGB(0, 0, 0)

    def lines_of_text(self, x: float, y: float, values: list[str], size: float = 9,
                      first_bold: bool = False, align: str = "left") -> float:
        """Writes ``values`` one under the other; returns the y below the last."""
        for index, value in enumerate(values):
            self.text(x, y, value, size + (2 if first_bold and index == 0 else 0),
                      bold=first_bold and index == 0, align=align)
            y -= size + (5 if first_bold and index == 0 else 3)
        return y

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5,
             colour: tuple[float, float, float] = (0, 0, 0)) -> None:
        self.canvas.setStrokeColorRGB(*colour)
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y, x2, y)
        self.canvas.setStrokeColorRGB(0, 0, 0)

    def box(self, x: float, y: float, w: float, h: float, fill: tuple[float, float, float]
            | None = None, stroke: bool = True) -> None:
        if fill is not None:
            self.canvas.setFillColorRGB(*fill)
        self.canvas.rect(x, y, w, h, stroke=1 if stroke else 0, fill=1 if fill else 0)
        self.canvas.setFillColorRGB(0, 0, 0)

    def money(self, value: Decimal) -> str:
        return self.formats.money(value, self.invoice.currency)

    def country(self, code: str) -> str:
        return COUNTRY_NAMES[self.words.language][code]

    def enterprise_label(self, country: str) -> str | None:
        labels = ENTERPRISE_LABELS.get(country)
        return labels[self.words.language] if labels else None
