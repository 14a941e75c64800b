"""The Belgian company register (KBO/BCE Open Data) in the read database: imported from
the official extracts, searched by name, enterprise number or VAT number.

It is reference data, not the firm's history, so it is stored as tables, not events."""

from __future__ import annotations

from lucy_events.register.entries import LANGUAGES, RegisterEntry
from lucy_events.register.extract import Extract, ExtractMeta
from lucy_events.register.loader import ImportReport, import_extract, imports, total_bytes
from lucy_events.register.numbers import RegisterFileError, compact_number
from lucy_events.register.search import MAX_LIMIT, RegisterSearch

__all__ = [
    "LANGUAGES",
    "MAX_LIMIT",
    "Extract",
    "ExtractMeta",
    "ImportReport",
    "RegisterEntry",
    "RegisterFileError",
    "RegisterSearch",
    "compact_number",
    "import_extract",
    "imports",
    "total_bytes",
]
