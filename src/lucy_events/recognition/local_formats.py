"""Amounts and dates as Dutch, French, German and English documents write them.

Amounts: 1.234,56 / 1,234.56 / 1 234,56 / 1'234.56 / € 1.234,56 / 1.234,56 EUR / -12,50.
An amount must show its cents: a bare 1.234 is as likely a quantity or a thousand as
one euro twenty-three, so it is not read as money.
Dates: 31/12/2026, 31.12.2026, 31-12-2026, 2026-12-31, 31/12/26, "31 december 2026",
"31 décembre 2026", "31. Dezember 2026", "December 31, 2026", "31 Dec 2026".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(
    r"(?<![\w.,/])"
    r"(?P<sign>[-\u2212\u2013])?\s?"
    r"(?:(?P<pre>€|EUR|USD|GBP|CHF|\$|£)\s?)?"
    r"(?P<sign2>[-\u2212\u2013])?"
    r"(?P<int>\d{1,3}(?:(?P<sep>[.,\s  '\u2019])\d{3})(?:(?P=sep)\d{3})*|\d+)"
    r"(?P<dec>[.,])(?P<cents>\d{2})"
    r"(?![\d/]|[.,]\d)"
    r"(?:\s?(?P<post>€|EUR|USD|GBP|CHF|\$|£))?"
    r"(?P<sign3>-)?"
)
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP"}


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None
    start: int
    end: int


def amounts(text: str) -> list[Amount]:
    """Every amount in ``text``, in order; negative when written with a minus sign."""
    found = []
    for match in _AMOUNT.finditer(text):
        sep, dec = match.group("sep"), match.group("dec")
        if sep is not None and sep == dec:
            continue  # 1.234.56 is no amount
        digits = re.sub(r"\D", "", match.group("int"))
        try:
            value = Decimal(f"{digits}.{match.group('cents')}")
        except InvalidOperation:
            continue
        if match.group("sign") or match.group("sign2") or match.group("sign3"):
            value = -value
        mark = match.group("pre") or match.group("post")
        currency = _CURRENCY_SIGNS.get(mark, mark) if mark else None
        found.append(Amount(value, currency, match.start(), match.end()))
    return found


def parse_amount(text: str) -> Decimal | None:
    """The last amount in ``text`` (the value column is on the right), or None."""
    found = amounts(text)
    return found[-1].value if found else None


_MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    # French (accents removed before lookup)
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    # German
    "januar": 1, "februar": 2, "marz": 3, "maerz": 3, "dezember": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}
_SHORT = {
    "jan": 1, "feb": 2, "fev": 2, "mrt": 3, "mar": 3, "mrz": 3, "apr": 4, "avr": 4, "mai": 5,
    "may": 5, "mei": 5, "jun": 6, "jui": 7, "jul": 7, "aug": 8, "aou": 8, "sep": 9, "sept": 9,
    "okt": 10, "oct": 10, "nov": 11, "dec": 12, "dez": 12, "janv": 1, "fevr": 2, "juil": 7,
}
_MONTH_WORD = r"([A-Za-zÀ-ÿ]{3,10})\.?"
_NUMERIC_DMY = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s?([/.\-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/]|[.,]\d)"
)
_NUMERIC_YMD = re.compile(r"(?<![\d/.\-])(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?![\d/]|[.,]\d)")
_WORD_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})(?:\.|er|e|st|nd|rd|th)?\s+{_MONTH_WORD}\s+(\d{{4}})")
_WORD_MDY = re.compile(rf"{_MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int


def _plain(word: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def month_number(word: str) -> int | None:
    plain = _plain(word).rstrip(".")
    return _MONTHS.get(plain) or _SHORT.get(plain)


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        made = date(year, month, day)
    except ValueError:
        return None
    return made if 1990 <= made.year <= 2100 else None


def dates(text: str) -> list[FoundDate]:
    """Every date in ``text``, in order. Numeric dates are day first (as in Belgium, France,
    Germany and the Netherlands) unless the day-first reading is impossible."""
    found: list[FoundDate] = []
    for match in _NUMERIC_YMD.finditer(text):
        made = _make(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if made:
            found.append(FoundDate(made, match.start()))
    for match in _NUMERIC_DMY.finditer(text):
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        made = _make(year, second, first) or _make(year, first, second)
        if made:
            found.append(FoundDate(made, match.start()))
    for match in _WORD_DMY.finditer(text):
        month = month_number(match.group(2))
        made = _make(int(match.group(3)), month, int(match.group(1))) if month else None
        if made:
            found.append(FoundDate(made, match.start()))
    for match in _WORD_MDY.finditer(text):
        month = month_number(match.group(1))
        made = _make(int(match.group(3)), month, int(match.group(2))) if month else None
        if made and not any(f.start <= match.start() < f.start + 12 for f in found):
            found.append(FoundDate(made, match.start()))
    return sorted(found, key=lambda f: f.start)


def first_date(text: str) -> date | None:
    found = dates(text)
    return found[0].value if found else None
