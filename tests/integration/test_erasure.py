"""Erasure of a person's personal data on each event store (SQLite, PostgreSQL): their
fields are stored sealed, read in clear while their key exists, and read "erased person"
everywhere once it is destroyed (history, read models, the relay's records), while the
stored events, the hash chain and `audit verify` stay as they were."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.firm import Firm, StaffMemberStillOnStaff
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.audit.person_keys import person_id
from lucy_events.audit.sealing import ERASED
from lucy_events.audit.verify import chained, verify
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.bus.stored_records import stored_record
from lucy_events.config import Settings
from lucy_events.projections import PROJECTIONS
from lucy_events.projections.client_queries import get_client_row
from lucy_events.projections.document_queries import get_document_row
from lucy_events.projections.replay import rebuild
from tests.support import CONTACT, Office, open_office

ADDRESS = CONTACT["email"]
SENDER = "Jan Peeters <Jan.Peeters@leverancier.example>"
HOST = Actor.system("test")


class ErasureContract:
    """Subclasses give ``env``: the settings' environment for their store."""

    @pytest.fixture
    def env(self, tmp_path: Path) -> dict[str, str]:
        raise NotImplementedError

    @pytest.fixture
    def services(self, env: dict[str, str]) -> Iterator[Services]:
        services = bootstrap(Settings.from_env(env))
        yield services
        services.close()

    @pytest.fixture
    def office(self, services: Services) -> Office:
        return open_office(services.app)

    def _project(self, services: Services) -> None:
        for name in PROJECTIONS:
            rebuild(services.read_db, services.app, name)

    def _stored(self, app: LucyApplication) -> list[bytes]:
        return [n.state for n in app.recorder.select_notifications(1, 10_000)]

    def _values(self, app: LucyApplication, firm_id: UUID, client_id: UUID) -> str:
        """Everything the history shows of the client, as one text."""
        return repr([(e.who, e.details, e.changes)
                     for e in app.client_history(firm_id, client_id)])

    def test_a_client_contact_is_sealed_in_the_store_and_read_in_clear(self, services,
                                                                       office):
        client_id = office.new_client()
        stored = b"".join(self._stored(services.app))
        assert ADDRESS.encode() not in stored and b"Anna" not in stored
        assert b'"_type_":"sealed"' in stored
        assert ADDRESS in self._values(services.app, office.firm_id, client_id)
        assert services.app.client(office.firm_id, client_id).contact_person == {**CONTACT,
                                                                            "phone": ""}

    def test_erasing_a_client_contact_leaves_erased_person_everywhere_and_the_chain_whole(
            self, services, office):
        app = services.app
        client_id = office.new_client()
        other = office.new_client(name="Garage Peeters",
                                  contact_person={"first_name": "Piet", "last_name": "Peeters",
                                                  "email": "piet@garage.example"})
        document_id = office.receive(client_id)
        self._project(services)
        assert get_client_row(services.read_db, firm_id=office.firm_id,
                              client_id=client_id).contact_email == ADDRESS
        person = person_id(office.firm_id, "email", ADDRESS)
        assert app.person_keys.exists(person)
        before = self._stored(app)

        done = services.erase_person(office.firm_id, "email", ADDRESS, "request 7", office.admin)

        assert done.key_destroyed and done.person_id == person
        assert not app.person_keys.exists(person)  # the key row is gone
        # the stored events did not change; one event was added: PersonErased
        after = self._stored(app)
        assert after[:len(before)] == before and len(after) == len(before) + 1
        erased = app.mapper.to_domain_event(
            app.recorder.select_notifications(len(after), 1)[0])
        assert isinstance(erased, Firm.PersonErased) and erased.person_id == person
        assert erased.reason == "request 7" and erased.actor == str(office.admin)
        assert verify(chained(app.recorder)).broken is None
        # history (every presenter shows these entries), the aggregate, the read models
        shown = self._values(app, office.firm_id, client_id)
        assert ADDRESS not in shown and CONTACT["first_name"] not in shown
        assert ERASED in shown and "Bakkerij Claes" in shown  # the client's own data stays
        assert app.client(office.firm_id, client_id).contact_person == {
            "first_name": ERASED, "last_name": ERASED, "email": ERASED, "phone": ""}
        row = get_client_row(services.read_db, firm_id=office.firm_id, client_id=client_id)
        assert row.contact_email == ERASED and CONTACT["first_name"] not in row.contact_name
        assert get_document_row(services.read_db, firm_id=office.firm_id,
                                document_id=document_id) is not None  # documents are kept
        # another person is untouched
        assert get_client_row(services.read_db, firm_id=office.firm_id,
                              client_id=other).contact_email == "piet@garage.example"
        # what the relay publishes from now on
        records = [stored_record(n, app.mapper)[2] for n in
                   app.recorder.select_notifications(1, 10_000)]
        contacts = [r["contact_person"] for r in records if "contact_person" in r]
        assert {c["email"] for c in contacts} == {ERASED, "piet@garage.example"}

    def test_erasing_an_email_sender_erases_them_on_every_document(self, services, office):
        app = services.app
        client_id = office.new_client()
        documents = [app.receive_document(IncomingDocument(
            office.firm_id, client_id, b"%PDF-1.4 " + bytes([n]), f"bill-{n}.pdf",
            "application/pdf", "email", sender=SENDER), office.admin) for n in range(2)]
        self._project(services)
        row = get_document_row(services.read_db, firm_id=office.firm_id,
                               document_id=documents[0])
        assert row.sender == SENDER

        services.erase_person(office.firm_id, "email", "jan.peeters@leverancier.example",
                              "request 8", office.admin)

        for document_id in documents:
            row = get_document_row(services.read_db, firm_id=office.firm_id,
                                   document_id=document_id)
            assert row.sender == ERASED and row.file_name.startswith("bill-")
        shown = self._values(app, office.firm_id, client_id)
        assert "Peeters" not in shown and shown.count(ERASED) >= 2
        assert ADDRESS in shown  # the contact person is another person
        assert verify(chained(app.recorder)).broken is None

    def test_erasing_a_former_staff_member_names_them_erased_person(self, services, office):
        app = services.app
        staff_id = app.add_staff_member(office.firm_id, "Karel Vos", "karel@firm.example",
                                        "admin", HOST)
        karel = app.actor_for(office.firm_id, staff_id)
        client_id = office.new_client()
        app.change_auto_send(office.firm_id, client_id, False, karel)
        with pytest.raises(StaffMemberStillOnStaff):
            services.erase_person(office.firm_id, "staff", str(staff_id), "r", office.admin)
        app.remove_staff_member(office.firm_id, staff_id, office.admin)
        assert "Karel Vos" in self._values(app, office.firm_id, client_id)

        done = services.erase_person(office.firm_id, "staff", str(staff_id), "request 9",
                                     office.admin)

        assert done.key_destroyed
        assert app.firm(office.firm_id).staff_names[staff_id] == ERASED
        entries = app.client_history(office.firm_id, client_id)
        assert [e.who for e in entries if e.event_type == "AutoSendChanged"] == [ERASED]
        assert "Karel" not in repr(entries) and "karel@" not in repr(entries)
        assert verify(chained(app.recorder)).broken is None

    def test_events_stored_before_sealing_still_read(self, services, env):
        earlier = LucyApplication(Settings.from_env(env).eventsourcing_env(),
                                  blobs=services.app.blobs)  # no keys: stored in clear
        office = open_office(earlier, "Older & Co")
        client_id = office.new_client()
        assert ADDRESS.encode() in b"".join(self._stored(earlier))
        assert ADDRESS in self._values(services.app, office.firm_id, client_id)
        services.app.change_auto_send(office.firm_id, client_id, False, HOST)
        assert services.app.client(office.firm_id, client_id).contact_person == {**CONTACT,
                                                                            "phone": ""}
        earlier.close()
        earlier.close()


class TestErasureOnSQLite(ErasureContract):
    @pytest.fixture
    def env(self, tmp_path: Path) -> dict[str, str]:
        return {"LUCY_DATA_DIR": str(tmp_path)}


class TestErasureOnPostgres(ErasureContract):
    @pytest.fixture
    def env(self, tmp_path: Path, postgres_url: str) -> dict[str, str]:
        return {"LUCY_DATA_DIR": str(tmp_path), "LUCY_DATABASE_URL": postgres_url}
