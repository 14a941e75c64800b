"""The vault's contract, run on every backend: its commands on the event store and its
read model fed from the notification log (SQLite file, PostgreSQL schema)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.aggregates.vault import VaultFileNotFound
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.catalogue import VAULT_TOPIC
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.intake.files import IncomingFile
from lucy_events.projections import rebuild
from lucy_events.projections.vault import VaultProjection
from lucy_events.projections.vault_queries import list_vault_files
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.support import PDF, Office, open_office

RETURN = IncomingFile("aangifte-2025.pdf", PDF + b"return", "application/pdf")
REPORT = IncomingFile("rapport.txt", b"Jaarrapport 2025\n", "text/plain")


class VaultContract:
    """Subclasses provide ``stores``: (event store URL, read database URL)."""

    @pytest.fixture
    def stores(self) -> tuple[str, str]:
        raise NotImplementedError

    @pytest.fixture
    def world(self, stores: tuple[str, str], clock) -> Iterator[tuple[Office, Database]]:
        events_url, read_url = stores
        app = LucyApplication(persistence_env(events_url), blobs=InMemoryBlobStore(),
                              clock=clock)
        db = Database.from_url(read_url)
        yield open_office(app), db
        app.close()
        db.close()

    @staticmethod
    def catch_up(office: Office, db: Database) -> None:
        projection = VaultProjection(db)
        source = LogSource(office.app, db, projection.name, projection.topics,
                           wakeup=threading.Event())
        runtime = ConsumerRuntime(source, projection, StoreDeadLetters(db), poll_timeout=0)
        while runtime.step():
            pass

    def test_shared_files_are_kept_listed_read_and_deleted(self, world):
        office, db = world
        client_id = office.new_client()
        added = office.app.add_vault_files(office.firm_id, client_id, [RETURN, REPORT],
                                           office.accountant)
        self.catch_up(office, db)
        listed = list_vault_files(db, firm_id=office.firm_id, client_id=client_id)
        assert {(r.file_name, r.media_type, r.size) for r in listed} == {
            ("aangifte-2025.pdf", "application/pdf", len(RETURN.content)),
            ("rapport.txt", "text/plain", len(REPORT.content))}
        assert all(r.added_by == str(office.accountant) for r in listed)
        shared, content = office.app.vault_file(office.firm_id, client_id, added[0].file_id,
                                                office.admin)
        assert (shared.file_name, content) == ("aangifte-2025.pdf", RETURN.content)
        office.app.delete_vault_file(office.firm_id, client_id, added[0].file_id, office.admin)
        with pytest.raises(VaultFileNotFound):
            office.app.vault_file(office.firm_id, client_id, added[0].file_id, office.admin)
        with pytest.raises(VaultFileNotFound):
            office.app.delete_vault_file(office.firm_id, client_id, added[0].file_id,
                                         office.admin)
        self.catch_up(office, db)
        assert [r.file_name for r in list_vault_files(
            db, firm_id=office.firm_id, client_id=client_id)] == ["rapport.txt"]

    def test_another_firm_or_an_accountant_facing_a_hidden_client_finds_no_vault(self, world):
        office, _ = world
        client_id = office.new_client()
        [shared] = office.app.add_vault_files(office.firm_id, client_id, [RETURN], office.admin)
        other = open_office(office.app, "Other Firm")
        with pytest.raises(ClientNotFound):
            office.app.vault_file(other.firm_id, client_id, shared.file_id, other.admin)
        with pytest.raises(ClientNotFound):
            office.app.add_vault_files(other.firm_id, client_id, [RETURN], other.admin)
        office.app.change_visibility(office.firm_id, client_id, True, office.admin)
        with pytest.raises(ClientNotFound):
            office.app.delete_vault_file(office.firm_id, client_id, shared.file_id,
                                         office.accountant)
        with pytest.raises(PermissionDenied):
            office.app.add_vault_files(office.firm_id, client_id, [RETURN],
                                       Actor.client(client_id))

    def test_concurrent_uploads_into_one_vault_all_land(self, world):
        office, db = world
        client_id = office.new_client()
        errors: list[BaseException] = []

        def share(n: int) -> None:
            try:
                office.app.add_vault_files(office.firm_id, client_id, [IncomingFile(
                    f"f{n}.txt", f"file {n}\n".encode(), "text/plain")], office.admin)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=share, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        self.catch_up(office, db)
        assert len(list_vault_files(db, firm_id=office.firm_id, client_id=client_id)) == 3

    def test_vault_events_never_reach_the_router_or_auto_send_and_rebuild_alike(self, world):
        office, db = world
        assert VAULT_TOPIC not in Router.topics  # auto-send is the router's too
        client_id = office.new_client()
        [shared] = office.app.add_vault_files(office.firm_id, client_id, [RETURN, REPORT],
                                              office.admin)[:1]
        office.app.delete_vault_file(office.firm_id, client_id, shared.file_id, office.admin)
        self.catch_up(office, db)
        self.catch_up(office, db)  # a second pass changes nothing
        before = list_vault_files(db, firm_id=office.firm_id, client_id=client_id)
        result = rebuild(db, office.app, "vault")
        assert result is not None
        assert list_vault_files(db, firm_id=office.firm_id, client_id=client_id) == before
        assert [e.event_type for e in office.app.client_history(
            office.firm_id, client_id) if e.subject == "vault"] == [
            "VaultOpened", "VaultFileAdded", "VaultFileAdded", "VaultFileDeleted"]

    def test_a_client_without_a_vault_lists_nothing(self, world):
        office, db = world
        assert list_vault_files(db, firm_id=office.firm_id, client_id=uuid4()) == []


class TestSQLite(VaultContract):
    @pytest.fixture
    def stores(self, tmp_path) -> tuple[str, str]:
        return f"sqlite:///{tmp_path}/events.sqlite", f"sqlite:///{tmp_path}/read.sqlite"


@pytest.mark.postgres
class TestPostgreSQL(VaultContract):
    @pytest.fixture
    def stores(self, postgres_url) -> tuple[str, str]:
        return postgres_url, postgres_url

