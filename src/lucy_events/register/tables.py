"""The register's tables: one per extract file, with the official column names mapped
to ours, the kind of each value, and the key an update's ``_delete.csv`` names.

Numbers are stored compact (``0200065765``), dates ISO; everything else as the file has
it. ``kbo_denomination`` also keeps each name folded (lower case, no accents) for search.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lucy_events.register.numbers import RegisterFileError, file_date, file_number

NUMBER, DATE, TEXT = "number", "date", "text"


@dataclass(frozen=True)
class TableSpec:
    file: str  # "enterprise" -> enterprise.csv, enterprise_delete.csv, enterprise_insert.csv
    columns: tuple[tuple[str, str, str], ...]  # (official column, our column, kind)
    key: str  # the official column a _delete.csv lists
    primary_key: bool = False  # the key is unique (one row per key)

    @property
    def table(self) -> str:
        return f"kbo_{self.file}"

    @property
    def key_column(self) -> str:
        return next(ours for official, ours, _ in self.columns if official == self.key)

    @property
    def db_columns(self) -> list[str]:
        return [ours for _, ours, _ in self.columns]


def _spec(file: str, key: str, *columns: tuple[str, str, str], primary_key: bool = False
          ) -> TableSpec:
    return TableSpec(file, columns, key, primary_key)


TABLES: tuple[TableSpec, ...] = (
    _spec("enterprise", "EnterpriseNumber",
          ("EnterpriseNumber", "enterprise_number", NUMBER), ("Status", "status", TEXT),
          ("JuridicalSituation", "juridical_situation", TEXT),
          ("TypeOfEnterprise", "type_of_enterprise", TEXT),
          ("JuridicalForm", "juridical_form", TEXT),
          ("JuridicalFormCAC", "juridical_form_cac", TEXT),
          ("StartDate", "start_date", DATE), primary_key=True),
    _spec("establishment", "EstablishmentNumber",
          ("EstablishmentNumber", "establishment_number", NUMBER),
          ("StartDate", "start_date", DATE), ("EnterpriseNumber", "enterprise_number", NUMBER),
          primary_key=True),
    _spec("denomination", "EntityNumber",
          ("EntityNumber", "entity_number", NUMBER), ("Language", "language", TEXT),
          ("TypeOfDenomination", "type_of_denomination", TEXT),
          ("Denomination", "denomination", TEXT)),
    _spec("address", "EntityNumber",
          ("EntityNumber", "entity_number", NUMBER), ("TypeOfAddress", "type_of_address", TEXT),
          ("CountryNL", "country_nl", TEXT), ("CountryFR", "country_fr", TEXT),
          ("Zipcode", "zipcode", TEXT), ("MunicipalityNL", "municipality_nl", TEXT),
          ("MunicipalityFR", "municipality_fr", TEXT), ("StreetNL", "street_nl", TEXT),
          ("StreetFR", "street_fr", TEXT), ("HouseNumber", "house_number", TEXT),
          ("Box", "box", TEXT), ("ExtraAddressInfo", "extra_address_info", TEXT),
          ("DateStrikingOff", "date_striking_off", DATE)),
    _spec("contact", "EntityNumber",
          ("EntityNumber", "entity_number", NUMBER), ("EntityContact", "entity_contact", TEXT),
          ("ContactType", "contact_type", TEXT), ("Value", "value", TEXT)),
    _spec("activity", "EntityNumber",
          ("EntityNumber", "entity_number", NUMBER), ("ActivityGroup", "activity_group", TEXT),
          ("NaceVersion", "nace_version", TEXT), ("NaceCode", "nace_code", TEXT),
          ("Classification", "classification", TEXT)),
    _spec("branch", "Id",
          ("Id", "id", NUMBER), ("StartDate", "start_date", DATE),
          ("EnterpriseNumber", "enterprise_number", NUMBER), primary_key=True),
)
CODE = _spec("code", "Code",
             ("Category", "category", TEXT), ("Code", "code", TEXT),
             ("Language", "language", TEXT), ("Description", "description", TEXT))
BY_FILE = {spec.file: spec for spec in (*TABLES, CODE)}


def create_table(spec: TableSpec, name: str, dialect: str) -> list[str]:
    """The statements creating ``name`` (the live table or a table being loaded)."""
    columns = [f"{column} TEXT" for column in spec.db_columns]
    if spec is BY_FILE["denomination"]:
        serial = "INTEGER PRIMARY KEY" if dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
        search = ["search_name TEXT NOT NULL"] if dialect == "sqlite" else [
            "search_name TEXT GENERATED ALWAYS AS (kbo_fold(denomination)) STORED",
            "search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', kbo_fold(denomination))) STORED"]
        columns = [f"id {serial}", *columns, *search]
    elif spec.primary_key:
        columns[0] += " PRIMARY KEY"
    elif spec is CODE:
        columns.append("PRIMARY KEY (category, code, language)")
    return [f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(columns)})"]


def key_index(spec: TableSpec, name: str, suffix: str) -> list[str]:
    """The index an update's deletes and the search's lookups go through."""
    if spec.primary_key or spec is CODE:
        return []
    return [f"CREATE INDEX IF NOT EXISTS ix_{spec.file}_{suffix} ON {name} ({spec.key_column})"]


def converted(spec: TableSpec, file: str,
              rows: Iterable[dict[str, str]]) -> Iterator[dict[str, Any]]:
    """The file's rows in our columns: numbers compact, dates ISO, the rest as written."""
    checked = False
    for line, row in enumerate(rows, 2):
        if not checked:
            missing = [official for official, _, _ in spec.columns if official not in row]
            if missing:
                raise RegisterFileError(f"{file}: missing the columns {', '.join(missing)}")
            checked = True
        out: dict[str, Any] = {}
        for official, ours, kind in spec.columns:
            value = row[official]
            where = f"{file} line {line} {official}"
            if kind == NUMBER:
                out[ours] = file_number(value, where)
            elif kind == DATE:
                out[ours] = file_date(value, where)
            else:
                out[ours] = value
        yield out


IMPORTS_TABLE = """CREATE TABLE IF NOT EXISTS kbo_import (
    extract_number INTEGER NOT NULL, extract_type TEXT NOT NULL, snapshot_date TEXT,
    extract_timestamp TEXT, imported_at TEXT NOT NULL,
    PRIMARY KEY (extract_number, extract_type))"""
