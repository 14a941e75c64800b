"""The application's contract, run on every event store backend.

One base class states what must hold; a subclass per backend (in-memory, SQLite file,
PostgreSQL) provides the store. A new backend passes this suite before it is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import (
    ClientNotFound,
    DuplicateClient,
    InvitationInvalid,
)
from lucy_events.aggregates.document_rules import (
    DocumentNotFound,
    DocumentStatus,
    UntypedDocumentCannotBeSent,
)
from lucy_events.aggregates.errors import ConcurrencyConflict, InvalidValue
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from tests.support import PDF, Office, client_fields, open_office

AppFactory = Callable[[], LucyApplication]


class ApplicationContract:
    """Subclasses provide ``new_app``: a factory of applications sharing one store."""

    @pytest.fixture
    def new_app(self) -> AppFactory:
        raise NotImplementedError

    @pytest.fixture
    def office(self, new_app: AppFactory) -> Office:
        return open_office(new_app())

    def test_aggregates_come_back_from_the_store_as_they_were_saved(self, new_app, office):
        client_id = office.new_client()
        office.app.enable_peppol(office.firm_id, client_id, True, False, office.admin)
        document_id = office.receive(client_id)
        reopened = new_app()
        client = reopened.client(office.firm_id, client_id)
        assert (client.name, client.peppol_send, client.version) == ("Bakkerij Claes", True, 2)
        assert reopened.document(office.firm_id, document_id).status is DocumentStatus.INBOX
        assert reopened.firm(office.firm_id).member(UUID(office.admin.id)).name == "Sofie Admin"

    def test_another_firms_client_does_not_exist_for_this_firm(self, new_app, office):
        client_id = office.new_client()
        other = open_office(office.app, "Other Firm")
        with pytest.raises(ClientNotFound):
            office.app.client(other.firm_id, client_id, other.admin)
        with pytest.raises(ClientNotFound):
            office.app.enable_peppol(other.firm_id, client_id, True, True, other.admin)
        document_id = office.receive(client_id)
        with pytest.raises(DocumentNotFound):
            office.app.request_send(other.firm_id, document_id, other.admin)

    def test_a_hidden_client_is_invisible_to_accountants_but_not_to_admins(self, office):
        client_id = office.new_client()
        document_id = office.receive(client_id)
        office.app.change_visibility(office.firm_id, client_id, True, office.admin)
        with pytest.raises(ClientNotFound):
            office.app.client(office.firm_id, client_id, office.accountant)
        # Acting on the document, the accountant learns of the document only, never of
        # the hidden client (its id is not in the message).
        with pytest.raises(DocumentNotFound) as error:
            office.app.request_send(office.firm_id, document_id, office.accountant)
        assert str(client_id) not in str(error.value)
        assert office.app.client(office.firm_id, client_id, office.admin).hidden

    def test_an_accountant_cannot_file_a_document_for_a_client_hidden_from_them(self, office):
        client_id = office.new_client()
        office.app.change_visibility(office.firm_id, client_id, True, office.admin)
        with pytest.raises(ClientNotFound):
            office.app.receive_document(IncomingDocument(
                office.firm_id, client_id, PDF, "a.pdf", "application/pdf", "upload"),
                office.accountant)
        office.app.receive_document(IncomingDocument(
            office.firm_id, client_id, PDF, "a.pdf", "application/pdf", "upload"), office.admin)

    def test_unknown_ids_become_the_domains_not_found_errors(self, office):
        client_id = office.new_client()
        with pytest.raises(ClientNotFound):
            office.app.client(office.firm_id, uuid4())
        with pytest.raises(DocumentNotFound):
            office.app.document(office.firm_id, client_id)  # a client id is no document

    def test_a_concurrent_change_is_retried_from_a_fresh_load(self, new_app, office):
        client_id = office.new_client()
        rival = new_app()
        attempts = []

        def act(client: Client) -> None:
            attempts.append(client.version)
            if len(attempts) == 1:  # someone else saves between our load and our save
                rival.change_auto_send(office.firm_id, client_id, False, office.admin)
            client.enable_peppol(True, True, office.admin)

        office.app._change(lambda: office.app.client(office.firm_id, client_id), act)
        client = new_app().client(office.firm_id, client_id)
        assert attempts == [1, 2]
        assert (client.auto_send, client.peppol_send, client.version) == (False, True, 3)

    def test_a_change_that_keeps_conflicting_surfaces_as_a_conflict(self, new_app, office):
        client_id = office.new_client()
        rival = new_app()
        attempts = []

        def act(client: Client) -> None:
            attempts.append(1)
            rival.change_auto_send(office.firm_id, client_id, len(attempts) % 2 == 0, office.admin)
            client.enable_peppol(True, True, office.admin)

        with pytest.raises(ConcurrencyConflict):
            office.app._change(lambda: office.app.client(office.firm_id, client_id), act)
        assert len(attempts) == 4

    def test_an_invitation_token_activates_its_client_once(self, office, clock):
        client_id = office.new_client()
        token = office.app.invite_client(office.firm_id, client_id, office.admin)
        assert office.app.accept_invitation(token) == client_id
        assert office.app.client(office.firm_id, client_id).status.value == "Active"
        with pytest.raises(InvitationInvalid):
            office.app.accept_invitation("not-a-token")

    def test_a_resent_invitation_makes_the_old_link_useless(self, office):
        client_id = office.new_client()
        old = office.app.invite_client(office.firm_id, client_id, office.admin)
        new = office.app.resend_invitation(office.firm_id, client_id, office.admin)
        with pytest.raises(InvitationInvalid):
            office.app.accept_invitation(old)
        office.app.accept_invitation(new)

    def test_document_content_is_stored_and_read_back_verified(self, office):
        client_id = office.new_client()
        document_id = office.receive(client_id, content=b"%PDF-1.7 unique content")
        content = office.app.document_content(office.firm_id, document_id, office.admin)
        assert content == b"%PDF-1.7 unique content"

    def test_a_batch_of_documents_is_recorded_all_or_nothing(self, office):
        client_id = office.new_client()
        before = office.app.recorder.max_notification_id()
        good = IncomingDocument(
            office.firm_id, client_id, PDF, "a.pdf", "application/pdf", "upload")
        bad = IncomingDocument(office.firm_id, client_id, PDF, "b.pdf", "application/pdf", "fax")
        with pytest.raises(InvalidValue):
            office.app.receive_documents([good, bad], office.admin)
        assert office.app.recorder.max_notification_id() == before
        ids = office.app.receive_documents([good, good], office.admin)
        assert len(set(ids)) == 2
        assert office.app.recorder.max_notification_id() == before + 2

    def test_bulk_send_sends_what_it_may_and_says_why_not_for_the_rest(self, office):
        client_id = office.new_client()
        typed, untyped = office.receive(client_id), office.receive(client_id, document_type=None)
        outcome = office.app.request_bulk_send(office.firm_id, [typed, untyped], office.admin)
        assert outcome[typed] is None
        assert isinstance(outcome[untyped], UntypedDocumentCannotBeSent)
        assert office.app.document(office.firm_id, typed).status is DocumentStatus.SENDING

    def test_a_clients_history_lists_its_and_its_documents_events_with_actors(self, office, clock):
        client_id = office.new_client()
        document_id = office.receive(client_id)
        office.app.request_send(office.firm_id, document_id, office.accountant)
        office.receive(office.new_client(name="Someone Else"))
        history = office.app.client_history(office.firm_id, client_id)
        assert [e.event_type for e in history] == [
            "ClientCreated", "DocumentReceived", "SendRequested"]
        assert history[-1].actor == str(office.accountant)
        assert history[-1].subject_id == document_id
        early = office.app.client_history(
            office.firm_id, client_id, as_of=history[0].at + timedelta(microseconds=1))
        assert [e.event_type for e in early] == ["ClientCreated"]

    def test_a_history_given_the_clients_documents_equals_the_one_scanning_the_store(
            self, office):
        client_id = office.new_client()
        kept, deleted = office.receive(client_id), office.receive(client_id, None)
        office.app.request_send(office.firm_id, kept, office.accountant)
        office.app.delete_document(office.firm_id, deleted, office.admin)
        elsewhere = office.receive(office.new_client(name="Someone Else"))
        scanned = office.app.client_history(office.firm_id, client_id)
        given = office.app.client_history(  # a stray id of another client is left out
            office.firm_id, client_id, document_ids=[deleted, kept, elsewhere])
        assert given == scanned
        assert [e.event_type for e in given if e.subject == "document"] == [
            "DocumentReceived", "DocumentReceived", "SendRequested", "DocumentDeleted"]

    def test_documents_whose_events_interleave_in_the_store_have_their_own_history(
            self, office):
        client_id = office.new_client()
        first, second = office.receive(client_id), office.receive(client_id, None)
        office.app.assign_document_type(office.firm_id, second, "sales-invoice", office.admin)
        office.app.request_send(office.firm_id, first, office.accountant)
        halfway = datetime.now(UTC)
        office.app.assign_document_type(office.firm_id, second, "purchase-invoice",
                                        office.admin)
        office.app.request_send(office.firm_id, second, office.accountant)
        ids = [second, first]
        history = office.app.client_history(office.firm_id, client_id, document_ids=ids)
        assert [(e.event_type, e.subject_id) for e in history if e.subject == "document"] == [
            ("DocumentReceived", first), ("DocumentReceived", second),
            ("DocumentTypeAssigned", second), ("SendRequested", first),
            ("DocumentTypeAssigned", second), ("SendRequested", second)]
        assert history[-2].changes["document_type"] == ("sales-invoice", "purchase-invoice")
        then = office.app.client_as_of(office.firm_id, client_id, halfway, document_ids=ids)
        assert {(d.document_id, d.status, d.document_type) for d in then.documents} == {
            (first, "Sending", "purchase-invoice"), (second, "Inbox", "sales-invoice")}
        early = office.app.client_history(office.firm_id, client_id, as_of=halfway,
                                          document_ids=ids)
        assert [e.event_type for e in early] == [e.event_type for e in history[:-2]]

    def test_events_stored_in_an_older_shape_are_upcast_when_loaded(self, office):
        client_id = office.new_client()
        app = office.app
        v1_state = app.mapper.transcoder.encode({
            "timestamp": app.clock(), "actor": str(office.admin), "firm_id": office.firm_id,
        })  # PeppolEnabled v1: one switch, no send/receive, no class_version
        app.recorder.insert_events([StoredEvent(
            originator_id=client_id, originator_version=2,
            topic=get_topic(Client.PeppolEnabled), state=v1_state,
        )])
        client = app.client(office.firm_id, client_id)
        assert (client.peppol_send, client.peppol_receive) == (True, True)

    def test_two_processes_creating_the_same_company_leave_one_client(self, new_app, office):
        """Each racer checks for the company, finds nothing and writes version 1 of the
        same id: the store takes one; the other, retried, is refused naming it."""
        racers, outcomes = [office.app, new_app()], []
        start = threading.Barrier(2)

        def create(app: LucyApplication) -> None:
            start.wait()
            try:
                outcomes.append(app.create_client(office.firm_id, office.admin,
                                                  **client_fields(name=f"Racer {id(app)}")))
            except DuplicateClient as error:
                outcomes.append(error)

        threads = [threading.Thread(target=create, args=(app,)) for app in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        [created] = [o for o in outcomes if isinstance(o, UUID)]
        [refused] = [o for o in outcomes if isinstance(o, DuplicateClient)]
        assert refused.existing_client_id == created

    def test_the_notification_log_keeps_the_global_order_of_all_events(self, office):
        client_id = office.new_client()
        office.receive(client_id)
        notifications = office.app.recorder.select_notifications(start=1, limit=100)
        assert [n.id for n in notifications] == sorted(n.id for n in notifications)
        assert notifications[-1].topic.endswith("Document.DocumentReceived")
        assert notifications[-2].topic.endswith("Client.ClientCreated")


def _apps(env: dict[str, str], clock) -> Iterator[AppFactory]:
    blobs = InMemoryBlobStore()
    made: list[LucyApplication] = []

    def factory() -> LucyApplication:
        made.append(LucyApplication(env, blobs=blobs, clock=clock))
        return made[-1]

    yield factory
    for app in made:
        app.close()


class TestInMemoryStore(ApplicationContract):
    @pytest.fixture
    def new_app(self, clock) -> Iterator[AppFactory]:
        app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                              blobs=InMemoryBlobStore(), clock=clock)
        yield lambda: app  # one process, one store: "reopening" is the same app


class TestSQLiteStore(ApplicationContract):
    @pytest.fixture
    def new_app(self, tmp_path, clock) -> Iterator[AppFactory]:
        yield from _apps(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"), clock)


@pytest.mark.postgres
class TestPostgreSQLStore(ApplicationContract):
    @pytest.fixture
    def new_app(self, postgres_url, clock) -> Iterator[AppFactory]:
        yield from _apps(persistence_env(postgres_url), clock)
