"""The register's values as people type them and as the KBO/BCE files write them.

Enterprise and establishment numbers are ten digits, written ``0200.065.765`` (or
``2.000.000.339``) in the files, ``BE0200065765`` as a VAT number, and typed any of these
ways; they are kept compact (``0200065765``). Dates are ``dd-mm-yyyy`` in the files and
ISO in the database. Names are matched folded: lower case, without accents.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_NOT_DIGITS = re.compile(r"[\s./-]")
_WORD = re.compile(r"[^\W_]+")


class RegisterFileError(ValueError):
    """Raised when an extract's file or value is not in the official format; the message
    names the file, the line and the column, so the extract can be checked."""


def compact_number(value: str) -> str | None:
    """``0200.065.765``, ``BE 0200 065 765``, ``200065765`` -> ``0200065765``; None when the
    text is not a 9- or 10-digit number (after an optional ``BE``)."""
    text = _NOT_DIGITS.sub("", value.strip().upper())
    if text.startswith("BE"):
        text = text[2:]
    if not text.isdigit() or len(text) not in (9, 10):
        return None
    return text.zfill(10)


def file_number(value: str, where: str) -> str:
    """A number column of an extract file, compact; an empty one is an error."""
    number = compact_number(value)
    if number is None:
        raise RegisterFileError(f"{where}: {value!r} is not an enterprise or entity number")
    return number


def dotted(number: str) -> str:
    """``0200065765`` -> ``0200.065.765`` (as the register writes it)."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def file_date(value: str, where: str) -> str | None:
    """``09-08-1960`` -> ``1960-08-09``; an empty value is None."""
    value = value.strip()
    if not value:
        return None
    try:
        day, month, year = (int(part) for part in value.split("-"))
        return date(year, month, day).isoformat()
    except ValueError:
        raise RegisterFileError(f"{where}: {value!r} is not a dd-mm-yyyy date") from None


def fold(text: str) -> str:
    """Lower case without accents: ``Brasserie Élégante`` -> ``brasserie elegante``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a name, as SQLite's FTS5 tokenizer splits them."""
    return _WORD.findall(fold(text))
