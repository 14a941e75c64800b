"""The company register's contract, on SQLite and on PostgreSQL: extracts in the
official format load, updates apply once, and searches find companies by number or by
a name typed without accents or with a typo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lucy_events.register import Extract, RegisterSearch, import_extract, imports
from lucy_events.sqldb import Database
from tests.register_extracts import ENTERPRISES, full_extract, renaming_update


def load(db: Database, path: Path) -> bool:
    with Extract(path) as extract:
        return import_extract(db, extract).applied


class RegisterContract:
    @pytest.fixture
    def db(self) -> Database:
        raise NotImplementedError

    @pytest.fixture
    def search(self, db: Database, tmp_path: Path) -> RegisterSearch:
        load(db, full_extract(tmp_path))
        return RegisterSearch(db)

    def names(self, search: RegisterSearch, text: str, language: str = "NL") -> list[str]:
        return [entry.name for entry in search.search(text, language=language)]

    def test_a_company_is_found_by_its_enterprise_or_vat_number_in_any_format(self, search):
        for typed in ("0417497106", "0417.497.106", "BE0417497106", "be 0417 497 106"):
            assert self.names(search, typed) == ["Brouwerij Het Anker"]

    def test_an_establishment_number_finds_the_company_it_belongs_to(self, search):
        assert self.names(search, "2.000.000.339") == ["Brouwerij Het Anker"]

    def test_a_name_typed_without_accents_finds_the_accented_name(self, search):
        assert self.names(search, "societe generale facades", "FR") == [
            "Société Générale de Façades"]
        assert self.names(search, "Brasserie elegante", "FR") == [
            "Brasserie Élégante du Hainaut"]

    def test_a_name_with_a_typo_still_finds_the_company(self, search):
        assert self.names(search, "Brouwrij Anker") == ["Brouwerij Het Anker"]
        assert self.names(search, "het ankr brouwerij") == ["Brouwerij Het Anker"]

    def test_the_last_word_may_still_be_being_typed(self, search):
        assert self.names(search, "Intergemeentelijke Vere") == [
            "Intergemeentelijke Vereniging Veneco"]

    def test_a_search_answers_the_legal_form_address_status_and_start_in_the_language(
            self, search):
        [dutch] = search.search("0456.318.682", language="NL")
        [french] = search.search("0456.318.682", language="FR")
        assert (dutch.name, dutch.legal_form, dutch.status, dutch.start_date) == (
            "Brouwerij Elegante van Henegouwen", "Besloten vennootschap", "Actief",
            "1995-10-01")
        assert dutch.address == {"street": "Grote Markt 12 bus 3", "postal_code": "7000",
                                 "city": "Bergen", "country": "BE", "country_name": ""}
        assert (french.name, french.legal_form, french.status, french.address["city"]) == (
            "Brasserie Élégante du Hainaut", "Société à responsabilité limitée", "Actif",
            "Mons")
        assert french.vat_number == "BE0456318682"

    def test_a_label_missing_in_english_falls_back_to_dutch(self, search):
        [entry] = search.search("0417497106", language="EN")
        assert entry.legal_form == "Naamloze vennootschap"
        [german] = search.search("0417497106", language="DE")
        assert german.legal_form == "Aktiengesellschaft"

    def test_an_update_deletes_then_inserts_and_is_applied_once(self, search, db, tmp_path):
        update = renaming_update(tmp_path)
        assert load(db, update) is True
        assert load(db, update) is False
        assert self.names(search, "0417.497.106") == ["Brouwerij Het Gouden Anker"]
        assert self.names(search, "Soeur Therese") == ["Bakkerij Sœur Thérèse"]
        assert self.names(search, "gouden anker") == ["Brouwerij Het Gouden Anker"]
        assert [(n, kind) for n, kind, *_ in imports(db)] == [(140, "full"), (141, "update")]

    def test_an_update_older_than_the_full_extract_is_not_applied(self, search, db, tmp_path):
        assert load(db, renaming_update(tmp_path, number=139)) is False
        assert self.names(search, "0417.497.106") == ["Brouwerij Het Anker"]

    def test_a_full_extract_loaded_again_replaces_the_register(self, search, db, tmp_path):
        load(db, renaming_update(tmp_path))
        again = tmp_path / "again"
        again.mkdir()
        assert load(db, full_extract(again, number=150, denominations=[
            (number, "2", "001", f"Firma {i}") for i, (number, *_) in enumerate(ENTERPRISES)]))
        assert self.names(search, "0417497106") == ["Firma 1"]
        assert self.names(search, "anker") == []
        assert self.names(search, "0999999922") == []
        assert [(n, kind) for n, kind, *_ in imports(db)] == [(150, "full")]

    def test_an_empty_register_finds_nothing(self, db):
        assert RegisterSearch(db).search("Brouwerij") == []


class TestOnSQLite(RegisterContract):
    @pytest.fixture
    def db(self, tmp_path: Path) -> Database:
        return Database.from_url(f"sqlite:///{tmp_path / 'read.sqlite'}")


class TestOnPostgreSQL(RegisterContract):
    @pytest.fixture
    def db(self, postgres_url: str) -> Iterator[Database]:
        database = Database.from_url(postgres_url)
        yield database
        database.close()
