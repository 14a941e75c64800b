"""``lucy-events kbo import|search`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import Cli
from tests.register_extracts import full_extract, renaming_update


def test_an_extract_is_imported_with_a_progress_bar_then_searched(sqlite_cli: Cli,
                                                                   tmp_path: Path) -> None:
    imported = sqlite_cli.run("kbo", "import", str(full_extract(tmp_path)))
    assert "imported full extract 140" in imported.stdout
    assert "importing" in imported.stderr  # the bar itself is drawn only on a terminal
    found = sqlite_cli.run("kbo", "search", "brouwrij anker")
    assert "0417.497.106  Brouwerij Het Anker  (Naamloze vennootschap; Actief; since " \
           "1977-12-28)  Guido Gezellelaan 49, 2800 Mechelen" in found.stdout


def test_an_update_is_applied_once_and_json_answers_one_company_per_line(
        postgres_cli: Cli, tmp_path: Path) -> None:
    postgres_cli.run("kbo", "import", str(full_extract(tmp_path)))
    update = renaming_update(tmp_path)
    assert "imported update extract 141" in postgres_cli.run("kbo", "import", str(update)).stdout
    assert "nothing to do: update 141 was applied before" in postgres_cli.run(
        "kbo", "import", str(update)).stdout
    lines = postgres_cli.run("kbo", "search", "BE0417497106", "--json",
                             "--language", "FR").stdout.splitlines()
    entry = json.loads(lines[0])
    assert (entry["name"], entry["legal_form"], entry["enterprise_number_display"],
            entry["address"]["city"]) == ("Brouwerij Het Gouden Anker", "Société anonyme",
                                          "0417.497.106", "Malines")


def test_a_file_that_is_no_extract_is_refused_with_a_clear_message(sqlite_cli: Cli,
                                                                    tmp_path: Path) -> None:
    not_a_zip = tmp_path / "extract.zip"
    not_a_zip.write_text("hello")
    result = sqlite_cli.run("kbo", "import", str(not_a_zip), check=False)
    assert result.returncode == 1 and "not a readable zip" in result.stderr


def test_nothing_found_says_so(sqlite_cli: Cli) -> None:
    result = sqlite_cli.run("kbo", "search", "Nergens BV")
    assert result.stdout == "" and "no company found" in result.stderr
