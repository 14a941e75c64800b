"""An auditor at the terminal: the history without private fields, as of a date, exported
over a period; the hash chain checkpointed and verified, and tampering found."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli

_NAMES = ("Bakkerij Vermeulen", "Garage De Smet", "Brouwerij", "Apotheek", "Studio Lumen",
          "Transport", "Kapsalon", "Zonnepanelen Noord", "Kaashandel")


def test_history_as_json_never_prints_a_token_hash(demo_cli: Cli):
    events = set()
    for name in _NAMES:
        out = demo_cli.run("history", name, "--json").stdout
        assert "token_hash" not in out
        events |= {json.loads(line)["event"] for line in out.splitlines()}
    assert {"Invited", "InvitationResent"} <= events  # there were hashes to leak


def test_the_text_history_gives_iso_times_with_the_zone_and_file_names(demo_cli: Cli):
    lines = demo_cli.run("history", "Brouwerij Het Anker").stdout.splitlines()
    assert lines[2][:25].endswith("+00:00")
    assert any("document " in line and ".pdf" in line for line in lines)


def test_as_of_prints_the_client_and_its_documents_as_they_stood(demo_cli: Cli):
    full = [json.loads(line) for line in
            demo_cli.run("history", "Brouwerij Het Anker", "--json").stdout.splitlines()]
    first_document = next(e for e in full if e["event"] == "DocumentReceived")
    out = demo_cli.run("history", "Brouwerij Het Anker", "--as-of",
                         first_document["at"]).stdout
    assert out.startswith("As of ") and out.splitlines()[0].endswith("; 1 document")
    assert first_document["file_name"] in out.splitlines()[1]


def test_an_export_over_a_period_in_each_format_states_the_chain_head(sqlite_cli: Cli):
    sqlite_cli.run("demo")
    head = sqlite_cli.run("audit", "checkpoint").stdout.strip()
    full = [json.loads(line) for line in
            sqlite_cli.run("history", "Garage De Smet", "--json").stdout.splitlines()]
    since, until = full[1]["at"], full[-2]["at"]
    exported = json.loads(sqlite_cli.run("history", "Garage De Smet", "--from", since,
                                         "--to", until, "--format", "json").stdout)
    assert exported["chain_head"] == head
    assert [e["at"] for e in exported["entries"]] == [e["at"] for e in full[1:-1]]
    rows = list(csv.reader(io.StringIO(sqlite_cli.run(
        "history", "Garage De Smet", "--format", "csv").stdout)))
    assert ["# chain_head", head] in rows and len(rows) == 6 + 1 + len(full)
    page = sqlite_cli.run("history", "Garage De Smet", "--format", "html").stdout
    assert page.startswith("<!doctype html>") and head in page
    bad = sqlite_cli.run("history", "Garage", "--format", "pdf", check=False)
    assert bad.returncode == 2 and "--format" in bad.stderr


def _store(cli: Cli) -> Path:
    """The SQLite event store: the database file that holds the chain (the read models'
    file lies beside it)."""
    for path in sorted(Path(cli.env["LUCY_DATA_DIR"]).rglob("*.sqlite")):
        with sqlite3.connect(path) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if any(t.endswith("_chain") for t in tables):
            return path
    raise AssertionError("no SQLite file holds the hash chain")


def test_verify_passes_then_finds_an_altered_event_and_exits_non_zero(sqlite_cli: Cli):
    sqlite_cli.run("demo")
    kept = sqlite_cli.run("audit", "checkpoint").stdout.strip()
    ok = sqlite_cli.run("audit", "verify")
    assert ok.stdout.startswith("ok: ") and kept in ok.stdout
    assert sqlite_cli.run("audit", "verify", "--from-checkpoint").stdout.startswith("ok: 0 ")
    path = _store(sqlite_cli)
    with sqlite3.connect(path) as conn:
        table = next(r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '%_chain'"))[:-len("_chain")]
        conn.execute(f"UPDATE {table} SET state = CAST(replace(CAST(state AS TEXT), "
                     "'Garage', 'Garaaj') AS BLOB) WHERE rowid = (SELECT min(rowid) FROM "
                     f"{table} WHERE CAST(state AS TEXT) LIKE '%Garage De Smet%')")
    broken = sqlite_cli.run("audit", "verify", check=False)
    assert broken.returncode == 1
    assert "BROKEN at position" in broken.stderr and "changed" in broken.stderr
    outside = sqlite_cli.run("audit", "verify", "--checkpoint", "nonsense", check=False)
    assert outside.returncode == 2 and "--checkpoint" in outside.stderr


@pytest.mark.postgres
def test_verify_and_checkpoint_on_postgresql(postgres_cli: Cli):
    postgres_cli.run("demo")
    kept = postgres_cli.run("audit", "checkpoint").stdout.strip()
    ok = postgres_cli.run("audit", "verify", "--checkpoint", kept)
    assert ok.returncode == 0 and kept in ok.stdout


def test_retention_run_keeps_everything_younger_than_ten_years(sqlite_cli: Cli):
    sqlite_cli.run("demo")
    out = sqlite_cli.run("retention", "run").stdout
    assert out.startswith("0 documents past their retention; 0 files removed")
    assert sqlite_cli.run("audit", "verify").stdout.startswith("ok: ")
