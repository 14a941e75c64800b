"""Read-side tables are created once per database, also when many requests (or
processes) ask at once: PostgreSQL's CREATE TABLE IF NOT EXISTS races with itself."""

from __future__ import annotations

import threading

from lucy_events.sqldb import Database, ensure_schema

SCHEMA = "CREATE TABLE IF NOT EXISTS race_probe (id TEXT PRIMARY KEY)"


def test_many_threads_creating_the_same_table_on_postgresql_all_succeed(postgres_url: str):
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def create() -> None:
        db = Database.from_url(postgres_url)  # one database object each: no shortcut
        try:
            start.wait()
            ensure_schema(db, "race_probe", [SCHEMA])
        except BaseException as error:
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_the_statements_run_once_per_database_object(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'read.sqlite'}")
    ensure_schema(db, "race_probe", [SCHEMA])
    with db.transaction() as tx:
        tx.execute("DROP TABLE race_probe")
    ensure_schema(db, "race_probe", [SCHEMA])  # remembered: not created again
    with db.transaction() as tx:
        assert not tx.execute("SELECT name FROM sqlite_master WHERE name = 'race_probe'")
