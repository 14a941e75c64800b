"""Small KBO/BCE Open Data extracts in the official format (quoted CSVs in a zip, numbers
written 0200.065.765, dates dd-mm-yyyy, dates left unquoted as the register writes them)."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEADERS = {
    "code": ["Category", "Code", "Language", "Description"],
    "enterprise": ["EnterpriseNumber", "Status", "JuridicalSituation", "TypeOfEnterprise",
                   "JuridicalForm", "JuridicalFormCAC", "StartDate"],
    "establishment": ["EstablishmentNumber", "StartDate", "EnterpriseNumber"],
    "denomination": ["EntityNumber", "Language", "TypeOfDenomination", "Denomination"],
    "address": ["EntityNumber", "TypeOfAddress", "CountryNL", "CountryFR", "Zipcode",
                "MunicipalityNL", "MunicipalityFR", "StreetNL", "StreetFR", "HouseNumber",
                "Box", "ExtraAddressInfo", "DateStrikingOff"],
    "contact": ["EntityNumber", "EntityContact", "ContactType", "Value"],
    "activity": ["EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"],
    "branch": ["Id", "StartDate", "EnterpriseNumber"],
}
DELETE_KEYS = {"enterprise": "EnterpriseNumber", "establishment": "EstablishmentNumber",
               "branch": "Id"}
_DATES = {"StartDate", "DateStrikingOff"}

CODES = [
    ("JuridicalForm", "014", "NL", "Naamloze vennootschap"),
    ("JuridicalForm", "014", "FR", "Société anonyme"),
    ("JuridicalForm", "014", "DE", "Aktiengesellschaft"),
    ("JuridicalForm", "610", "NL", "Besloten vennootschap"),
    ("JuridicalForm", "610", "FR", "Société à responsabilité limitée"),
    ("JuridicalForm", "416", "NL", "Intercommunale"),
    ("JuridicalForm", "416", "FR", "Intercommunale"),
    ("Status", "AC", "NL", "Actief"),
    ("Status", "AC", "FR", "Actif"),
    ("TypeOfDenomination", "001", "NL", "Naam"),
    ("TypeOfDenomination", "001", "FR", "Dénomination"),
]
ENTERPRISES = [
    ("0200.065.765", "AC", "000", "2", "416", "", "09-08-1960"),
    ("0417.497.106", "AC", "000", "2", "014", "", "28-12-1977"),
    ("0456.318.682", "AC", "000", "2", "610", "", "01-10-1995"),
    ("0871.239.548", "AC", "000", "2", "014", "", "15-02-2005"),
]
DENOMINATIONS = [
    ("0200.065.765", "2", "001", "Intergemeentelijke Vereniging Veneco"),
    ("0200.065.765", "2", "002", "Veneco"),
    ("0417.497.106", "2", "001", "Brouwerij Het Anker"),
    ("0456.318.682", "1", "001", "Brasserie Élégante du Hainaut"),
    ("0456.318.682", "2", "001", "Brouwerij Elegante van Henegouwen"),
    ("0871.239.548", "1", "001", "Société Générale de Façades"),
]
ADDRESSES = [
    ("0200.065.765", "REGO", "", "", "9070", "Destelbergen", "Destelbergen", "Panhuisstraat",
     "Panhuisstraat", "1", "", "", ""),
    ("0417.497.106", "REGO", "", "", "2800", "Mechelen", "Malines", "Guido Gezellelaan",
     "Guido Gezellelaan", "49", "", "", ""),
    ("0456.318.682", "REGO", "", "", "7000", "Bergen", "Mons", "Grote Markt", "Grand-Place",
     "12", "3", "", ""),
    ("0871.239.548", "REGO", "", "", "1000", "Brussel", "Bruxelles", "Eikstraat",
     "Rue du Chêne", "16", "", "", ""),
]
ESTABLISHMENTS = [("2.000.000.339", "01-11-1974", "0417.497.106")]
CONTACTS = [("0417.497.106", "ENT", "EMAIL", "info@hetanker.be")]
ACTIVITIES = [("0417.497.106", "001", "2025", "11050", "MAIN")]
BRANCHES = [("9.000.006.626", "01-09-1995", "0456.318.682")]


def _csv(header: list[str], rows: list[tuple[str, ...]]) -> str:
    lines = [",".join(f'"{h}"' for h in header)]
    for row in rows:
        cells = []
        for name, value in zip(header, row, strict=True):
            if name in _DATES or (value == "" and name.startswith("Country")):
                cells.append(value)  # unquoted, as the register writes them
            else:
                cells.append('"' + value.replace('"', '""') + '"')
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


def _meta(number: int, kind: str, snapshot: str) -> str:
    return _csv(["Variable", "Value"], [
        ("SnapshotDate", snapshot), ("ExtractTimestamp", f"{snapshot} 07:07:49"),
        ("ExtractType", kind), ("ExtractNumber", str(number)), ("Version", "1.0.0")])


def full_extract(directory: Path, number: int = 140, *,
                 denominations: list[tuple[str, ...]] | None = None) -> Path:
    path = directory / f"KboOpenData_{number:04d}_2026_11_Full.zip"
    tables = {"code": CODES, "enterprise": ENTERPRISES, "establishment": ESTABLISHMENTS,
              "denomination": denominations or DENOMINATIONS, "address": ADDRESSES,
              "contact": CONTACTS, "activity": ACTIVITIES, "branch": BRANCHES}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.csv", _meta(number, "full", "28-11-2026"))
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", _csv(HEADERS[name], rows))
    return path


def update_extract(directory: Path, number: int, *, deletes: dict[str, list[str]],
                   inserts: dict[str, list[tuple[str, ...]]]) -> Path:
    path = directory / f"KboOpenData_{number:04d}_2026_12_01_Update.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.csv", _meta(number, "update", "30-11-2026"))
        archive.writestr("code.csv", _csv(HEADERS["code"], CODES))
        for name, keys in deletes.items():
            key = DELETE_KEYS.get(name, "EntityNumber")
            archive.writestr(f"{name}_delete.csv", _csv([key], [(k,) for k in keys]))
        for name, rows in inserts.items():
            archive.writestr(f"{name}_insert.csv", _csv(HEADERS[name], rows))
    return path


def renaming_update(directory: Path, number: int = 141) -> Path:
    """Brouwerij Het Anker is renamed; a new company (accented) is registered."""
    return update_extract(
        directory, number,
        deletes={"denomination": ["0417.497.106"]},
        inserts={
            "enterprise": [("0999.999.922", "AC", "000", "2", "610", "", "02-11-2026")],
            "denomination": [("0417.497.106", "2", "001", "Brouwerij Het Gouden Anker"),
                             ("0999.999.922", "2", "001", "Bakkerij Sœur Thérèse")],
            "address": [("0999.999.922", "REGO", "", "", "3000", "Leuven", "Louvain",
                         "Naamsestraat", "Rue de Namur", "5", "", "", "")],
        })
