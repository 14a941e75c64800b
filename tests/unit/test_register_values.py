"""The register's values as typed and as the official files write them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lucy_events.register import Extract, RegisterFileError, compact_number
from lucy_events.register.numbers import dotted, file_date, fold, words
from lucy_events.register.tables import BY_FILE, converted
from lucy_events.register.typos import closest, edit_distance, variants
from tests.register_extracts import full_extract, renaming_update


@pytest.mark.parametrize("typed", ["0200065765", "0200.065.765", "BE0200065765",
                                   "be 0200 065 765", "200065765", "BE 0200.065.765"])
def test_an_enterprise_number_is_understood_in_any_format(typed: str) -> None:
    assert compact_number(typed) == "0200065765"


@pytest.mark.parametrize("typed", ["Brouwerij", "02000657", "BE02000657651", "NL0200065765"])
def test_text_that_is_no_enterprise_number_is_not_taken_for_one(typed: str) -> None:
    assert compact_number(typed) is None


def test_an_establishment_number_is_kept_compact_in_ten_digits() -> None:
    assert compact_number("2.000.000.339") == "2000000339"
    assert dotted("0200065765") == "0200.065.765"


def test_a_register_date_becomes_iso_and_a_bad_one_names_where_it_is() -> None:
    assert file_date("09-08-1960", "x") == "1960-08-09"
    assert file_date("", "x") is None
    with pytest.raises(RegisterFileError, match=r"enterprise\.csv line 3 StartDate"):
        file_date("1960-08-09", "enterprise.csv line 3 StartDate")


def test_names_are_folded_without_accents_and_split_into_words() -> None:
    assert fold("Brasserie Élégante") == "brasserie elegante"
    assert words("Société Générale de Façades SA") == ["societe", "generale", "de",
                                                       "facades", "sa"]


def test_one_slip_of_the_fingers_is_one_edit() -> None:
    assert edit_distance("brouwerij", "brouwrij") == 1
    assert edit_distance("brouwerij", "borwuerij") == 2
    assert edit_distance("anker", "aknre") == 2
    assert closest("brouwrij", {"brouwerij", "bouwerij", "bakkerij"}) == ["brouwerij",
                                                                         "bouwerij"]


def test_words_one_edit_apart_share_a_deletion_variant() -> None:
    assert variants("brouwrij") & variants("brouwerij")
    assert variants("anker") & variants("ankre")
    assert not variants("anker") & variants("molen")


def test_an_extract_is_read_from_its_zip_with_its_meta(tmp_path: Path) -> None:
    with Extract(full_extract(tmp_path)) as extract:
        assert (extract.meta.extract_number, extract.meta.extract_type,
                extract.meta.snapshot_date) == (140, "full", "2026-11-28")
        rows = list(converted(BY_FILE["enterprise"], "enterprise.csv",
                              extract.rows("enterprise.csv")))
    assert rows[0] == {"enterprise_number": "0200065765", "status": "AC",
                       "juridical_situation": "000", "type_of_enterprise": "2",
                       "juridical_form": "416", "juridical_form_cac": "",
                       "start_date": "1960-08-09"}


def test_an_update_extract_says_so_in_its_meta(tmp_path: Path) -> None:
    with Extract(renaming_update(tmp_path)) as extract:
        assert not extract.meta.is_full
        assert [row["EntityNumber"] for row in extract.rows("denomination_delete.csv")] == [
            "0417.497.106"]


def test_a_zip_without_meta_is_refused_as_no_register_extract(tmp_path: Path) -> None:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("enterprise.csv", '"EnterpriseNumber"\n"0200.065.765"\n')
    with pytest.raises(RegisterFileError, match=r"no meta\.csv"):
        Extract(path)


def test_a_file_missing_an_official_column_is_refused_naming_it(tmp_path: Path) -> None:
    rows = [{"EnterpriseNumber": "0200.065.765", "Status": "AC"}]
    with pytest.raises(RegisterFileError, match="missing the columns JuridicalSituation"):
        list(converted(BY_FILE["enterprise"], "enterprise.csv", rows))


def test_a_malformed_number_is_refused_naming_file_line_and_column() -> None:
    rows = [{"EntityNumber": "02OO.065.765", "Language": "2", "TypeOfDenomination": "001",
             "Denomination": "X"}]
    with pytest.raises(RegisterFileError, match=r"denomination\.csv line 2 EntityNumber"):
        list(converted(BY_FILE["denomination"], "denomination.csv", rows))
