"""A router that dies after the package accepted a document, before DocumentSent was
stored, must not deliver it twice when it comes back: a real FTP server counts copies."""

from __future__ import annotations

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.routers.integrations.credentials import InMemorySecretStore
from lucy_events.routers.integrations.registry import AdapterSettings, Integrations
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.integration.delivery.ftp_server import PASSWORD, USERNAME
from tests.support import open_office


class ProcessDied(BaseException):
    """Stands for the process dying: nothing after this point runs, nothing is caught."""


def router_runtime(app, db) -> ConsumerRuntime:
    integrations = Integrations(InMemorySecretStore({"expert-m": {"password": PASSWORD}}),
                                AdapterSettings(timeout=5.0))
    router = Router(app, integrations.for_package)
    return ConsumerRuntime(LogSource(app, db, router.name, router.topics), router,
                           StoreDeadLetters(db), poll_timeout=0.05)


def test_a_router_killed_between_upload_and_record_leaves_exactly_one_copy(ftp, tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    office = open_office(app)
    app.configure_portal_integration(office.firm_id, "expert-m", {
        "host": ftp.host, "port": str(ftp.port), "username": USERNAME, "tls": "false",
        "root": "/lucy", "credentials_ref": "expert-m"}, office.admin)
    client_id = office.new_client()
    app.link_integration(office.firm_id, client_id, "expert-m", office.admin)
    document_id = office.receive(client_id)
    app.request_send(office.firm_id, document_id, office.admin)

    record_sent = app.record_sent_together

    def die(*args, **kwargs):
        raise ProcessDied

    app.record_sent_together = die  # type: ignore[method-assign]
    with pytest.raises(ProcessDied):
        router_runtime(app, db).step()
    uploaded = [p for p in ftp.home.rglob("*") if p.is_file()]
    assert len(uploaded) == 1  # the package has it...
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENDING  # ...we don't

    app.record_sent_together = record_sent  # type: ignore[method-assign]
    restarted = router_runtime(app, db)  # the SendRequested was never committed: it comes again
    while restarted.step():
        pass
    assert [p for p in ftp.home.rglob("*") if p.is_file()] == uploaded
    assert [c for c, _ in ftp.commands() if c == "STOR"] == ["STOR"]
    document = app.document(office.firm_id, document_id)
    assert document.status is DocumentStatus.SENT
    assert document.remote_reference.endswith(uploaded[0].name)
    db.close()
    app.close()
