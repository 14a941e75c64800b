"""How a document writes its numbers, dates and identifiers: per language, with the
variants real documents use (1.234,56 / 1,234.56 / 1 234,56; 31/12/2026, 31.12.2026,
31 december 2026, 31 décembre 2026, 31. Dezember 2026, 2026-12-31)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}
#: (thousands separator, decimal separator)
NUMBER_STYLES = {"1.234,56": (".", ","), "1,234.56": (",", "."), "1 234,56": (" ", ",")}
NUMBER_STYLES_OF = {"nl": ["1.234,56"], "fr": ["1.234,56", "1 234,56"], "de": ["1.234,56"],
                    "en": ["1,234.56"]}
DATE_STYLES_OF = {
    "nl": ["31/12/2026", "31-12-2026", "31 december 2026", "2026-12-31"],
    "fr": ["31/12/2026", "31 décembre 2026", "2026-12-31"],
    "de": ["31.12.2026", "31. Dezember 2026", "2026-12-31"],
    "en": ["31/12/2026", "31 December 2026", "2026-12-31"],
}
CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$"}


@dataclass(frozen=True)
class Formats:
    """One document's way of writing: chosen once, used everywhere on it."""

    language: str
    number_style: str
    date_style: str
    currency_before: bool  # "€ 1.234,56" or "1.234,56 EUR"
    currency_sign: bool

    @classmethod
    def choose(cls, language: str, rng: random.Random) -> Formats:
        return cls(language, rng.choice(NUMBER_STYLES_OF[language]),
                   rng.choice(DATE_STYLES_OF[language]), rng.random() < 0.5,
                   rng.random() < 0.6)

    def number(self, value: Decimal, places: int = 2) -> str:
        thousands, decimal_mark = NUMBER_STYLES[self.number_style]
        text = f"{abs(value):,.{places}f}"
        text = text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)
        return ("-" if value < 0 else "") + text

    def quantity(self, value: Decimal) -> str:
        return self.number(value, 0) if value == value.to_integral() else self.number(value)

    def rate(self, value: Decimal) -> str:
        decimal_mark = NUMBER_STYLES[self.number_style][1]
        text = f"{value.normalize():f}".replace(".", decimal_mark)
        return f"{text}%" if self.language == "en" else f"{text} %"

    def money(self, value: Decimal, currency: str) -> str:
        symbol = CURRENCY_SIGNS.get(currency, currency) if self.currency_sign else currency
        if self.currency_before:
            return f"{symbol} {self.number(value)}"
        return f"{self.number(value)} {symbol}"

    def date(self, value: date) -> str:
        style = self.date_style
        if style == "31/12/2026":
            return value.strftime("%d/%m/%Y")
        if style == "31-12-2026":
            return value.strftime("%d-%m-%Y")
        if style == "31.12.2026":
            return value.strftime("%d.%m.%Y")
        if style == "2026-12-31":
            return value.isoformat()
        month = MONTHS[self.language][value.month - 1]
        if style == "31. Dezember 2026":
            return f"{value.day}. {month} {value.year}"
        return f"{value.day} {month} {value.year}"


def vat_display(vat: str, rng: random.Random) -> str:
    """A VAT number as suppliers print it: compact, or grouped the country's way."""
    country, body = vat[:2], vat[2:]
    if rng.random() < 0.4:
        return vat
    if country == "BE":
        return rng.choice([f"BE {body[:4]}.{body[4:7]}.{body[7:]}", f"BE{body[:4]}.{body[4:7]}"
                           f".{body[7:]}", f"BE {body}"])
    if country == "FR":
        return f"FR {body[:2]} {body[2:]}"
    return f"{country} {body}"


def enterprise_display(country: str, number: str) -> str:
    if country == "BE":
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    if country == "FR":
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return number
