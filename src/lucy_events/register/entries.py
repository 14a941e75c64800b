"""What a register search answers per company, read from the register's tables: the
official name, legal form and status with their labels in the reader's language
(``code.csv``), the registered office (``REGO``) address and the start date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from lucy_events.register.numbers import dotted
from lucy_events.sqldb import Transaction

LANGUAGES = ("NL", "FR", "EN", "DE")
#: denomination.csv's Language codes
_NAME_LANGUAGE = {"FR": "1", "NL": "2", "DE": "3", "EN": "4"}


@dataclass(frozen=True)
class RegisterEntry:
    enterprise_number: str  # compact, 10 digits
    name: str
    legal_form_code: str
    legal_form: str
    status_code: str
    status: str
    start_date: str | None
    address: dict[str, str] = field(default_factory=dict)
    matched_name: str = ""

    @property
    def dotted_number(self) -> str:
        return dotted(self.enterprise_number)

    @property
    def vat_number(self) -> str:
        return f"BE{self.enterprise_number}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "enterprise_number_display": self.dotted_number,
                "vat_number": self.vat_number}


def language_order(language: str) -> list[str]:
    """The reader's language first, then Dutch, French, English, German."""
    first = language.upper() if language.upper() in LANGUAGES else "NL"
    return [first, *(lang for lang in ("NL", "FR", "EN", "DE") if lang != first)]


def _in(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def entries(tx: Transaction, numbers: Sequence[str], language: str,
            matched: dict[str, str] | None = None) -> list[RegisterEntry]:
    """The entries of these enterprise numbers, in the same order (unknown ones left out)."""
    if not numbers:
        return []
    order = language_order(language)
    marks, params = _in("n", numbers)
    enterprises = {row[0]: row for row in tx.execute(
        "SELECT enterprise_number, status, juridical_form, start_date FROM kbo_enterprise "
        f"WHERE enterprise_number IN ({marks})", params)}
    names: dict[str, dict[str, str]] = {}
    for number, name_language, kind, name in tx.execute(
            "SELECT entity_number, language, type_of_denomination, denomination "
            f"FROM kbo_denomination WHERE entity_number IN ({marks}) "
            "ORDER BY type_of_denomination", params):
        if kind == "001":
            names.setdefault(number, {}).setdefault(name_language, name)
    addresses = {row[0]: row[1:] for row in tx.execute(
        "SELECT entity_number, street_nl, street_fr, house_number, box, zipcode, "
        "municipality_nl, municipality_fr, country_nl FROM kbo_address "
        f"WHERE entity_number IN ({marks}) AND type_of_address = 'REGO' "
        "AND (date_striking_off IS NULL OR date_striking_off = '')", params)}
    labels = _labels(tx, {("JuridicalForm", row[2]) for row in enterprises.values()} |
                     {("Status", row[1]) for row in enterprises.values()}, order)
    found = []
    for number in numbers:
        if number not in enterprises:
            continue
        _, status, form, start = enterprises[number]
        found.append(RegisterEntry(
            enterprise_number=number, name=_name(names.get(number, {}), order),
            legal_form_code=form or "", legal_form=labels.get(("JuridicalForm", form), ""),
            status_code=status or "", status=labels.get(("Status", status), status or ""),
            start_date=start, address=_address(addresses.get(number), order[0]),
            matched_name=(matched or {}).get(number, ""),
        ))
    return found


def _name(by_language: dict[str, str], order: list[str]) -> str:
    for language in order:
        if _NAME_LANGUAGE[language] in by_language:
            return by_language[_NAME_LANGUAGE[language]]
    return next(iter(by_language.values()), "")


def _labels(tx: Transaction, wanted: set[tuple[str, str | None]],
            order: list[str]) -> dict[tuple[str, str | None], str]:
    codes = sorted({code for _, code in wanted if code})
    if not codes:
        return {}
    marks, params = _in("c", codes)
    rank = {language: i for i, language in enumerate(order)}
    best: dict[tuple[str, str | None], tuple[int, str]] = {}
    for category, code, language, text in tx.execute(
            "SELECT category, code, language, description FROM kbo_code "
            f"WHERE category IN ('JuridicalForm', 'Status') AND code IN ({marks})", params):
        key = (category, code)
        score = rank.get(language, len(rank))
        if key in wanted and (key not in best or score < best[key][0]):
            best[key] = (score, text)
    return {key: text for key, (_, text) in best.items()}


def _address(row: tuple[Any, ...] | None, language: str) -> dict[str, str]:
    if row is None:
        return {}
    street_nl, street_fr, house, box, zipcode, city_nl, city_fr, country_nl = row
    french = language == "FR"
    street = (street_fr if french else street_nl) or street_nl or street_fr or ""
    city = (city_fr if french else city_nl) or city_nl or city_fr or ""
    line = " ".join(part for part in (street, house or "") if part)
    if box:
        line += f" bus {box}" if not french else f" boîte {box}"
    return {"street": line, "postal_code": zipcode or "", "city": city,
            "country": "BE" if not country_nl else "", "country_name": country_nl or ""}
