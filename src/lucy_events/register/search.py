"""Searching the register: by enterprise or VAT number in any format, else by name,
accent-insensitive, ranked, and tolerant of a typo per word.

SQLite: FTS5 (bm25); a word the register does not know is replaced by the register's
words one edit away (two for long words). PostgreSQL: pg_trgm's word similarity of the
folded query against the folded names (GIN index). ``name_query`` is the whole name
search in plain SQL, so the benchmark's raw baseline runs exactly the service's SQL.
"""

from __future__ import annotations

from typing import Any

from lucy_events.register.entries import RegisterEntry, entries
from lucy_events.register.numbers import compact_number, words
from lucy_events.register.typos import MIN_LENGTH, closest, variants
from lucy_events.sqldb import Database, Transaction

MAX_LIMIT = 50
#: word similarity a PostgreSQL match needs (pg_trgm's own default is 0.6)
PG_THRESHOLD = 0.5
_PG_NAMES = """
SELECT d.entity_number, d.denomination
FROM kbo_denomination d
WHERE kbo_fold(:text) OPERATOR({schema}.<%) d.search_name
ORDER BY {schema}.word_similarity(kbo_fold(:text), d.search_name) DESC,
         d.type_of_denomination, d.entity_number
LIMIT :limit"""
_SQLITE_NAMES = """
SELECT d.entity_number, d.denomination
FROM (SELECT rowid, rank FROM kbo_name_fts WHERE kbo_name_fts MATCH :match
      ORDER BY rank LIMIT :limit) AS hit
JOIN kbo_denomination d ON d.id = hit.rowid
ORDER BY hit.rank"""


class RegisterSearch:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pg_schema: str | None = None

    def search(self, text: str, *, language: str = "NL", limit: int = 10
               ) -> list[RegisterEntry]:
        limit = max(1, min(int(limit), MAX_LIMIT))
        text = text.strip()
        if not text:
            return []
        with self.db.transaction() as tx:
            number = compact_number(text)
            if number is not None:
                return entries(tx, _by_number(tx, number), language)
            matched: dict[str, str] = {}
            for entity, name in name_query(tx, text, limit * 3, self._schema(tx)):
                matched.setdefault(entity, name)
            return entries(tx, list(matched)[:limit * 2], language, matched)[:limit]

    def _schema(self, tx: Transaction) -> str:
        if tx.dialect != "postgresql":
            return ""
        if self._pg_schema is None:
            found = tx.execute("SELECT extnamespace::regnamespace::text FROM pg_extension "
                               "WHERE extname = 'pg_trgm'")
            self._pg_schema = found[0][0] if found else "public"
        return self._pg_schema


def name_query(tx: Transaction, text: str, limit: int, schema: str = "public"
               ) -> list[tuple[Any, ...]]:
    """(entity number, matching name) pairs, best first."""
    if tx.dialect == "postgresql":
        tx.execute("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)",
                   {"t": str(PG_THRESHOLD)})
        sql = _PG_NAMES.format(schema=schema or "public")
        return tx.execute(sql, {"text": text, "limit": limit})
    match = fts_match(tx, text)
    if not match:
        return []
    return tx.execute(_SQLITE_NAMES, {"match": match, "limit": limit})


def fts_match(tx: Transaction, text: str) -> str:
    """The FTS5 query for a typed name: every word (the last one as a prefix, since the
    user may still be typing), each also as the register's words one typo away."""
    tokens = words(text)
    terms = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        options = [f'"{token}"*' if last else f'"{token}"']
        if len(token) >= MIN_LENGTH and not _known(tx, token):
            options += [f'"{word}"' for word in _corrections(tx, token)]
            if len(options) == 1 and not last and len(tokens) > 1:
                continue  # an unknown word with no near miss must not hide the rest
        terms.append(options[0] if len(options) == 1 else f"({' OR '.join(options)})")
    return " AND ".join(terms)


def _known(tx: Transaction, word: str) -> bool:
    return bool(tx.execute("SELECT 1 FROM kbo_word WHERE word = :w", {"w": word}))


def _corrections(tx: Transaction, word: str) -> list[str]:
    forms = sorted(variants(word))
    marks = ", ".join(f":v{i}" for i in range(len(forms)))
    rows = tx.execute(f"SELECT DISTINCT word FROM kbo_word_variant WHERE variant IN ({marks})",
                      {f"v{i}": form for i, form in enumerate(forms)})
    return closest(word, {row[0] for row in rows})[:5]


def _by_number(tx: Transaction, number: str) -> list[str]:
    """The enterprise with this number, or owning the establishment with it."""
    found = tx.execute("SELECT enterprise_number FROM kbo_enterprise "
                       "WHERE enterprise_number = :n", {"n": number})
    if not found:
        found = tx.execute("SELECT enterprise_number FROM kbo_establishment "
                           "WHERE establishment_number = :n", {"n": number})
    return [row[0] for row in found]
