"""How the register's rows and name-search structures are written, per database.

SQLite: rows by ``executemany``; names searched with an FTS5 table (``unicode61
remove_diacritics 2``, ranked by bm25) whose rowids are the denominations' ids, plus a
vocabulary of words and their deletion variants for typos (``typos.py``).

PostgreSQL: rows by ``COPY``; names searched with full text (``simple`` configuration,
GIN index, ranked by ``ts_rank``) over ``search_vector``, generated from ``kbo_fold``
(``unaccent`` + ``lower``, declared immutable so it may generate a column); typos by
the same vocabulary and deletion variants as SQLite (made in SQL from the vectors' own
words), with pg_trgm similarity on ``kbo_word`` (GIN) as the fallback for a word no
variant reaches. Matching whole names by trigram similarity was measured and dropped
(40 ms p99 at 50,000 names already), and so was correcting every word by trigram
distance (50-300 ms per word on 173,000 words on the loaded 2-core machine).
The extensions are created in ``public`` if missing, and named with their schema, since
a connection's search_path may hold only the service's own schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lucy_events.register.numbers import fold, words
from lucy_events.register.tables import BY_FILE, TableSpec
from lucy_events.register.typos import MIN_LENGTH, variants
from lucy_events.sqldb import Transaction

DENOMINATION = BY_FILE["denomination"]


@dataclass(frozen=True)
class Names:
    """Table names of the live register (``suffix=""``) or of one being loaded."""

    suffix: str = ""

    def table(self, spec: TableSpec) -> str:
        return f"{spec.table}{self.suffix}"

    @property
    def fts(self) -> str:
        return f"kbo_name_fts{self.suffix}"

    @property
    def word(self) -> str:
        return f"kbo_word{self.suffix}"

    @property
    def variant(self) -> str:
        return f"kbo_word_variant{self.suffix}"

    def search_tables(self, dialect: str) -> list[str]:
        words = [self.word, self.variant]
        return [self.fts, *words] if dialect == "sqlite" else words


class SQLiteRegister:
    dialect = "sqlite"

    def __init__(self) -> None:
        self._known_words: set[str] = set()

    def create_search(self, tx: Transaction, names: Names, token: str) -> None:
        tx.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {names.fts} USING fts5("
                   "name, tokenize = 'unicode61 remove_diacritics 2')")
        tx.execute(f"CREATE TABLE IF NOT EXISTS {names.word} (word TEXT PRIMARY KEY) "
                   "WITHOUT ROWID")
        tx.execute(f"CREATE TABLE IF NOT EXISTS {names.variant} (variant TEXT, word TEXT, "
                   "PRIMARY KEY (variant, word)) WITHOUT ROWID")

    def insert(self, tx: Transaction, spec: TableSpec, names: Names,
               rows: Sequence[dict[str, Any]]) -> None:
        columns = spec.db_columns
        if spec is DENOMINATION:
            first = tx.execute(f"SELECT coalesce(max(id), 0) FROM {names.table(spec)}")[0][0]
            rows = [{**row, "search_name": fold(row["denomination"])} for row in rows]
            columns = [*columns, "search_name"]
        tx.executemany(
            f"INSERT OR REPLACE INTO {names.table(spec)} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})", rows)
        if spec is DENOMINATION:
            tx.execute(f"INSERT INTO {names.fts} (rowid, name) SELECT id, denomination "
                       f"FROM {names.table(spec)} WHERE id > :first", {"first": first})
            self._add_words(tx, names, (row["denomination"] for row in rows))

    def _add_words(self, tx: Transaction, names: Names, texts: Iterable[str]) -> None:
        new = {w for text in texts for w in words(text) if len(w) >= MIN_LENGTH}
        new -= self._known_words
        if not new:
            return
        self._known_words |= new
        tx.executemany(f"INSERT OR IGNORE INTO {names.word} (word) VALUES (:word)",
                       [{"word": w} for w in new])
        tx.executemany(
            f"INSERT OR IGNORE INTO {names.variant} (variant, word) VALUES (:variant, :word)",
            [{"variant": v, "word": w} for w in new for v in variants(w)])

    def delete(self, tx: Transaction, spec: TableSpec, names: Names, keys: list[str]) -> None:
        params = [{"key": key} for key in keys]
        if spec is DENOMINATION:
            tx.executemany(f"DELETE FROM {names.fts} WHERE rowid IN (SELECT id FROM "
                           f"{names.table(spec)} WHERE entity_number = :key)", params)
        tx.executemany(f"DELETE FROM {names.table(spec)} WHERE {spec.key_column} = :key", params)

    def index_search(self, tx: Transaction, names: Names, token: str) -> None:
        tx.execute(f"CREATE INDEX IF NOT EXISTS ix_denomination_search_{token} "
                   f"ON {names.table(DENOMINATION)} (search_name)")


class PostgresRegister:
    dialect = "postgresql"

    def __init__(self) -> None:
        self.schemas = {"pg_trgm": "public", "unaccent": "public"}

    def prepare(self, tx: Transaction) -> None:
        """The extensions and ``kbo_fold``; run once per process before anything else."""
        for extension in ("pg_trgm", "unaccent"):
            found = tx.execute("SELECT extnamespace::regnamespace::text FROM pg_extension "
                               "WHERE extname = :name", {"name": extension})
            if not found:
                tx.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} SCHEMA public")
            else:
                self.schemas[extension] = found[0][0]
        ext = self.schemas["unaccent"]
        tx.execute(
            "CREATE OR REPLACE FUNCTION kbo_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
            f"PARALLEL SAFE STRICT AS $$ SELECT lower({ext}.unaccent("
            f"'{ext}.unaccent'::regdictionary, $1)) $$")

    def create_search(self, tx: Transaction, names: Names, token: str) -> None:
        """The vocabulary; the names' own search columns are generated."""
        tx.execute(f"CREATE TABLE IF NOT EXISTS {names.word} (word TEXT PRIMARY KEY)")
        tx.execute(f"CREATE TABLE IF NOT EXISTS {names.variant} (variant TEXT, word TEXT, "
                   "PRIMARY KEY (variant, word))")
        tx.execute(f"CREATE INDEX IF NOT EXISTS ix_word_trgm_{token} ON {names.word} "
                   f"USING gin (word {self.schemas['pg_trgm']}.gin_trgm_ops)")

    def insert(self, tx: Transaction, spec: TableSpec, names: Names,
               rows: Sequence[dict[str, Any]]) -> None:
        columns = spec.db_columns
        table = names.table(spec)
        if spec is DENOMINATION:
            first = tx.execute(f"SELECT coalesce(max(id), 0) FROM {table}")[0][0]
        connection = tx.connection  # type: ignore[attr-defined]
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        if spec is DENOMINATION:  # new words and their one-letter deletions (typos.py)
            tx.execute(
                f"WITH new AS (INSERT INTO {names.word} (word) SELECT DISTINCT w FROM {table} d,"
                " unnest(tsvector_to_array(d.search_vector)) AS w "
                f"WHERE d.id > :first AND length(w) >= {MIN_LENGTH} "
                "ON CONFLICT DO NOTHING RETURNING word) "
                f"INSERT INTO {names.variant} (variant, word) SELECT v, new.word FROM new, "
                "LATERAL (SELECT new.word UNION SELECT overlay(new.word PLACING '' FROM i FOR 1)"
                " FROM generate_series(1, length(new.word)) AS i) AS x(v) "
                "ON CONFLICT DO NOTHING", {"first": first})

    def delete(self, tx: Transaction, spec: TableSpec, names: Names, keys: list[str]) -> None:
        tx.execute(f"DELETE FROM {names.table(spec)} WHERE {spec.key_column} = ANY(:keys)",
                   {"keys": keys})

    def index_search(self, tx: Transaction, names: Names, token: str) -> None:
        tx.execute(f"CREATE INDEX IF NOT EXISTS ix_denomination_fts_{token} ON "
                   f"{names.table(DENOMINATION)} USING gin (search_vector)")


Register = SQLiteRegister | PostgresRegister


def register_for(dialect: str) -> Register:
    return SQLiteRegister() if dialect == "sqlite" else PostgresRegister()
LIVE_NAMES = Names("")
