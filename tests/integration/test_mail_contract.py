"""The mail commands' contract on every event store backend: a mail's documents and
quarantine entries are recorded together or not at all, and a release survives a
reopened store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lucy_events.application import LucyApplication
from lucy_events.application.mail import HeldMail, mail_documents
from lucy_events.blobs import BlobStore, InMemoryBlobStore
from lucy_events.config import persistence_env
from lucy_events.intake.mail_contents import read_mail
from lucy_events.intake.mail_intake import SMTP_ACTOR
from tests.integration.test_application_contract import AppFactory, _apps
from tests.mails import PDF, mail, wire
from tests.support import Office, open_office


class MailContract:
    """Subclasses provide ``new_app``: a factory of applications sharing one store."""

    @pytest.fixture
    def office(self, new_app: AppFactory) -> Office:
        return open_office(new_app())

    def test_documents_and_quarantine_of_one_mail_are_recorded_together(self, new_app, office):
        open_client, guarded = office.new_client(), office.new_client(name="Garage Peeters")
        raw = wire(mail(subject="Two invoices", attachments=[
            ("a.pdf", "application/pdf", PDF), ("b.pdf", "application/pdf", PDF + b"b")]))
        outcome = office.app.take_in_mail(
            raw, mail_documents(office.firm_id, open_client, read_mail(raw)),
            [HeldMail(guarded, "SPF fail, DKIM none")], SMTP_ACTOR)
        reopened = new_app()
        documents = [reopened.document(office.firm_id, d) for d in outcome.document_ids]
        assert [(d.file_name, d.subject, d.channel) for d in documents] == [
            ("a.pdf", "Two invoices", "email"), ("b.pdf", "Two invoices", "email")]
        [held] = reopened.quarantined_mail(office.firm_id, guarded, office.admin)
        assert (held.reason, held.attachments) == ("SPF fail, DKIM none", ("a.pdf", "b.pdf"))

    def test_a_failure_while_storing_records_nothing(self, new_app, office, monkeypatch):
        client_id = office.new_client()
        raw = wire(mail())
        head = office.app.recorder.max_notification_id()

        class Full(BlobStore):
            def _write(self, digest: str, content: bytes) -> None:
                raise OSError(28, "No space left on device")

            def _read(self, digest: str) -> bytes:
                raise OSError(5, "I/O error")

            def _exists(self, digest: str) -> bool:
                return False

            def _remove(self, digest: str) -> bool:
                return False

        monkeypatch.setattr(office.app, "blobs", Full())
        with pytest.raises(OSError):
            office.app.take_in_mail(
                raw, mail_documents(office.firm_id, client_id, read_mail(raw)),
                [HeldMail(client_id, "sender not allowed")], SMTP_ACTOR)
        assert office.app.recorder.max_notification_id() == head

    def test_a_released_mail_is_documents_of_the_admin_and_gone_from_quarantine(
            self, new_app, office):
        client_id = office.new_client()
        raw = wire(mail(sender="stranger@else.example"))
        [mail_id] = office.app.take_in_mail(raw, [], [HeldMail(client_id, "sender not allowed")],
                                            SMTP_ACTOR).quarantined
        [document_id] = office.app.release_quarantined_mail(office.firm_id, client_id,
                                                            mail_id, office.admin)
        reopened = new_app()
        document = reopened.document(office.firm_id, document_id)
        assert (document.sender, document.file_name) == ("stranger@else.example", "invoice.pdf")
        assert reopened.quarantined_mail(office.firm_id, client_id, office.admin) == []
        events = list(reopened.events.get(client_id))
        assert events[-1].actor == str(office.admin)


class TestMailInMemory(MailContract):
    @pytest.fixture
    def new_app(self, clock) -> Iterator[AppFactory]:
        app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                              blobs=InMemoryBlobStore(), clock=clock)
        yield lambda: app


class TestMailSQLite(MailContract):
    @pytest.fixture
    def new_app(self, tmp_path, clock) -> Iterator[AppFactory]:
        yield from _apps(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"), clock)


@pytest.mark.postgres
class TestMailPostgreSQL(MailContract):
    @pytest.fixture
    def new_app(self, postgres_url, clock) -> Iterator[AppFactory]:
        yield from _apps(persistence_env(postgres_url), clock)
