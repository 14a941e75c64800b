"""How the dashboard's search box matches clients: pure text folding, no I/O.

Names match as case- and accent-insensitive substrings. Enterprise and VAT numbers match
whatever punctuation was typed (``0403.170.701``, ``BE 0403 170 701``) and with or
without the country prefix, because both sides are compared in their compact form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NOT_ALNUM = re.compile(r"[^0-9a-z]")
_COUNTRY_PREFIX = re.compile(r"^[a-z]{2}(?=\d)")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, without accents, single spaces: what names sort and match by."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


def compact_number(number: str | None) -> str:
    """``BE 0403.170.701`` -> ``0403170701``: digits and letters, no country prefix."""
    if not number:
        return ""
    return _COUNTRY_PREFIX.sub("", _NOT_ALNUM.sub("", fold(number)))


def numbers_key(*numbers: str | None) -> str:
    """One searchable text for all of a company's numbers (a Belgian VAT number is the
    enterprise number again, so it is there once)."""
    return " ".join(dict.fromkeys(filter(None, (compact_number(n) for n in numbers))))


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class SearchPatterns:
    """``LIKE`` patterns (escape character ``\\``) for the name and the numbers."""

    name: str
    number: str | None


def search_patterns(q: str | None) -> SearchPatterns | None:
    """The patterns for what was typed; None when nothing worth searching was typed."""
    term = fold(q or "")
    if not term:
        return None
    number = compact_number(term)
    has_digit = any(c.isdigit() for c in number)
    return SearchPatterns(_contains(term), _contains(number) if has_digit else None)
