"""Searching the register: by enterprise or VAT number in any format, else by name,
accent-insensitive, ranked, and tolerant of a typo per word.

Both databases search the names' words with full text, ranked (SQLite: FTS5 and bm25;
PostgreSQL: ``to_tsquery`` and ``ts_rank``); a word the register does not know also
stands for the register's words nearest to it (SQLite: one edit away, two for long
words, by deletion variants; PostgreSQL: pg_trgm similarity on the vocabulary).
``text_match`` builds the query and ``name_query`` runs it, so the benchmark's raw
baseline runs exactly the service's SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lucy_events.register.entries import RegisterEntry, entries
from lucy_events.register.loader import ensure_register
from lucy_events.register.numbers import compact_number, words
from lucy_events.register.typos import MIN_LENGTH, closest, variants
from lucy_events.sqldb import Database, Transaction

MAX_LIMIT = 50
#: Matches ranked at most: a query that matches more (one common word: "brasserie")
#: ranks the first this many found, whose words match equally well, instead of all.
RANKED = 1000
_PG_NAMES = f"""
SELECT hit.entity_number, hit.denomination
FROM (SELECT d.entity_number, d.denomination, d.type_of_denomination, d.search_vector
      FROM kbo_denomination d WHERE d.search_vector @@ to_tsquery('simple', :match)
      LIMIT {RANKED}) AS hit
ORDER BY ts_rank(hit.search_vector, to_tsquery('simple', :match), 1) DESC,
         hit.type_of_denomination, hit.entity_number
LIMIT :limit"""
_SQLITE_NAMES = f"""
SELECT d.entity_number, d.denomination
FROM (SELECT rowid, bm25(kbo_name_fts) AS score FROM kbo_name_fts
      WHERE kbo_name_fts MATCH :match LIMIT {RANKED}) AS hit
JOIN kbo_denomination d ON d.id = hit.rowid
ORDER BY hit.score, d.type_of_denomination, d.entity_number
LIMIT :limit"""
#: the typed words folded as the names were (unaccent), in order, and whether known
_PG_WORDS = r"""
SELECT t, EXISTS (SELECT 1 FROM kbo_word WHERE word = t)
FROM unnest(regexp_split_to_array(kbo_fold(:text), '[\W_]+')) WITH ORDINALITY AS u(t, i)
WHERE t <> '' ORDER BY i"""
#: pg_trgm similarity of the fallback for a word no deletion variant reaches
PG_SIMILARITY = 0.5
#: the fallback for a word no deletion variant reaches (two typos in it)
_PG_NEAR = """
SELECT word FROM kbo_word WHERE word OPERATOR({schema}.%) :word
ORDER BY {schema}.similarity(word, :word) DESC LIMIT 10"""


class RegisterSearch:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pg_schema: str | None = None
        self._ready = False

    def search(self, text: str, *, language: str = "NL", limit: int = 10
               ) -> list[RegisterEntry]:
        limit = max(1, min(int(limit), MAX_LIMIT))
        text = text.strip()
        if not text:
            return []
        if not self._ready:  # before the first import, an empty register
            ensure_register(self.db)
            self._ready = True
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
    match = text_match(tx, text, schema)
    if not match:
        return []
    sql = _PG_NAMES if tx.dialect == "postgresql" else _SQLITE_NAMES
    return tx.execute(sql, {"match": match, "limit": limit})


def text_match(tx: Transaction, text: str, schema: str = "public") -> str:
    """The full-text query for a typed name: every word (the last one, unless the
    register knows it, as a prefix: the user may still be typing), an unknown one also
    as the register's words one typo away; in FTS5's syntax on SQLite, ``to_tsquery``'s
    on PostgreSQL."""
    if tx.dialect == "postgresql":
        tokens = [(t, known) for t, known in tx.execute(_PG_WORDS, {"text": text})]
        near = _PG_NEAR.format(schema=schema)

        def corrections(word: str) -> list[str]:
            found = _corrections(tx, word)
            if not found:
                tx.execute("SELECT set_config('pg_trgm.similarity_threshold', :t, true)",
                           {"t": str(PG_SIMILARITY)})
                found = [row[0] for row in tx.execute(near, {"word": word})][:3]
            return found

        return _combine(tokens, corrections, "'{}'", "'{}':*", " | ", " & ")
    tokens = [(t, len(t) < MIN_LENGTH or _known(tx, t)) for t in words(text)]
    return _combine(tokens, lambda w: _corrections(tx, w), '"{}"', '"{}"*', " OR ", " AND ")


def _combine(tokens: list[tuple[str, bool]], corrections: Callable[[str], list[str]],
             exact: str, prefix: str, either: str, both: str) -> str:
    terms = []
    for index, (token, known) in enumerate(tokens):
        last = index == len(tokens) - 1
        # The last word as a prefix (the user may still be typing it), unless it is a
        # word of the register already (an exact word is 3-6 times faster to match) or
        # too short (as a prefix it would match a good part of the register).
        typing = last and not known and len(token) >= MIN_LENGTH
        options = [(prefix if typing else exact).format(token)]
        if not known and len(token) >= MIN_LENGTH:
            options += [exact.format(word) for word in corrections(token) if word != token]
            if len(options) == 1 and not last and len(tokens) > 1:
                continue  # an unknown word with no near miss must not hide the rest
        terms.append(options[0] if len(options) == 1 else f"({either.join(options)})")
    return both.join(terms)


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
