"""Numbers that identify a party or a payment, found in text and validated with python-stdnum.

Every finder returns only numbers whose check digits are right: a VAT number with a typo,
an IBAN that fails mod 97 or a structured communication that fails mod 97 is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat

#: EU member states (plus GB and CH, which appear on Belgian purchase invoices).
_COUNTRIES = "BE|NL|FR|DE|LU|AT|BG|CY|CZ|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LV|MT|PL|PT|RO|SE|SI|SK"
#: A country prefix; the number after it is tried at every prefix, because one may hide
#: another ("NUMERO DE TVA FR 87 950590810": DE is tried, then FR).
_VAT = re.compile(
    rf"(?<![A-Z0-9])({_COUNTRIES})(?=[\s.:\-]{{0,2}}((?:[0-9A-Z]{{1,12}}[\s.\-]?){{1,5}}))",
)
#: A Belgian enterprise number written without its country prefix: 0123.456.789,
#: 0123 456 789, 0123456789 (the first digit is 0 or 1).
_BE_ENTERPRISE = re.compile(r"(?<![\d.])([01]\d{3})[\s.]?(\d{3})[\s.]?(\d{3})(?![\d.]*\d)")
_IBAN = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)")
_STRUCTURED = re.compile(
    r"(?:\+{3}|\*{3})\s*(\d{3})\s*/\s*(\d{4})\s*/\s*(\d{5})\s*(?:\+{3}|\*{3})"
)


@dataclass(frozen=True)
class Found:
    """A validated number and where it starts in the text it was found in."""

    value: str
    start: int


def _vat_candidate(country: str, rest: str) -> str | None:
    """The longest prefix of ``rest`` that makes a valid VAT number with ``country``."""
    chars = re.sub(r"[\s.\-]", "", rest)
    for end in range(min(len(chars), 14), 1, -1):
        number = country + chars[:end]
        if eu_vat.is_valid(number):
            return str(eu_vat.compact(number))
    return None


def vat_numbers(text: str) -> list[Found]:
    """Valid VAT numbers with their country prefix, compact (``BE0123456789``), in order."""
    found: list[Found] = []
    # "IBAN DE27 7002 0270 ..." starts like a valid German VAT number: an IBAN is no VAT
    accounts = {account.start for account in ibans(text)}
    for match in _VAT.finditer(text.upper()):
        if match.start() in accounts:
            continue
        number = _vat_candidate(match.group(1), match.group(2))
        if number and all(f.value != number or f.start != match.start() for f in found):
            found.append(Found(number, match.start()))
    return found


def belgian_enterprise_numbers(text: str) -> list[Found]:
    """Valid Belgian enterprise numbers written without ``BE`` (``0123.456.789``), as the
    10 digits."""
    found = []
    for match in _BE_ENTERPRISE.finditer(text):
        digits = "".join(match.groups())
        if be_vat.is_valid(digits):
            found.append(Found(digits, match.start()))
    return found


def ibans(text: str) -> list[Found]:
    """Valid IBANs (structure and mod 97), compact."""
    found = []
    for match in _IBAN.finditer(text.upper()):
        candidate = match.group(1).replace(" ", "")
        # the greedy pattern may swallow a following word: shorten until valid
        for end in range(len(candidate), 14, -1):
            if stdnum_iban.is_valid(candidate[:end], check_country=False):
                found.append(Found(candidate[:end], match.start()))
                break
    return found


def valid_iban(value: str) -> str | None:
    """``value`` compact when it is a valid IBAN (structure and mod 97), else None."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    return compact if stdnum_iban.is_valid(compact, check_country=False) else None


def structured_communications(text: str) -> list[Found]:
    """Belgian structured communications (``+++123/4567/89012+++``) whose mod 97 is right,
    in that canonical form."""
    found = []
    for match in _STRUCTURED.finditer(text):
        digits = "".join(match.groups())
        if ogm_vcs.is_valid(digits):
            found.append(Found(f"+++{ogm_vcs.format(digits)}+++", match.start()))
    return found


def canonical_structured_communication(value: str) -> str | None:
    """``+++123/4567/89012+++`` for any spelling of a valid one (digits only, ``***``...)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 12 and ogm_vcs.is_valid(digits):
        return f"+++{ogm_vcs.format(digits)}+++"
    return None


def compact_vat(value: str) -> str:
    """A VAT number without spaces, dots or dashes, upper case (validity not checked:
    a UBL document's numbers are taken as the sender wrote them)."""
    return re.sub(r"[\s.\-]", "", value).upper()


def enterprise_number_of(vat: str | None) -> str | None:
    """The Belgian enterprise number (10 digits) inside a Belgian VAT number."""
    if vat and vat.startswith("BE") and be_vat.is_valid(vat[2:]):
        return str(be_vat.compact(vat[2:]))
    return None


def party_keys(numbers: Iterable[str | None]) -> frozenset[str]:
    """The forms under which a party's numbers are compared: each compact number, and for a
    Belgian one both ``BE0123456789`` and ``0123456789`` (the enterprise number is the VAT
    number's digits), so ``0123.456.789`` matches ``BE 0123 456 789``."""
    keys: set[str] = set()
    for number in numbers:
        if not number:
            continue
        compact = compact_vat(number)
        keys.add(compact)
        digits = compact[2:] if compact.startswith("BE") else compact
        if digits.isdigit() and len(digits) in (9, 10) and be_vat.is_valid(digits):
            keys.add(str(be_vat.compact(digits)))
            keys.add("BE" + str(be_vat.compact(digits)))
    return frozenset(keys)
