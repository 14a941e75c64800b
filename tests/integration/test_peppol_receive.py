"""Peppol receive against the real event store: the document, its validation result and
its rendition saved together; parking and replay; auto-send leaves invalid ones alone;
the peppol read model shows the result."""

from __future__ import annotations

from uuid import UUID

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.intake.peppol_inbound import (
    ParkedDocumentNotFound,
    PeppolInbound,
    clients_in_store,
)
from lucy_events.projections.peppol_validations import (
    PeppolValidationsProjection,
    peppol_validation,
)
from lucy_events.recognition.duplicates import DuplicateIndex
from lucy_events.recognition.pipeline import recognise
from lucy_events.recognition.worker import RecognitionWorker
from lucy_events.routers.router import Router
from lucy_events.sqldb import Database
from tests.integration.test_consumer_runtime import drain
from tests.integration.test_router import RecordingPackage
from tests.peppol_invoices import be_number, belgian, edited, in_sbd, with_pdf
from tests.support import Office, open_office

SUPPLIER, CUSTOMER = be_number(4031707), be_number(1234567)
INVOICE = belgian(supplier=SUPPLIER, customer=CUSTOMER)
WITHOUT_PROFILE = edited(INVOICE, "/*/cbc:ProfileID", None)


@pytest.fixture
def app(tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield app
    app.close()


@pytest.fixture
def db(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    yield db
    db.close()


@pytest.fixture
def office(app) -> Office:
    return open_office(app)


@pytest.fixture
def inbound(app, db) -> PeppolInbound:
    return PeppolInbound(app, db, clients_in_store(app))


def events_of(app: LucyApplication, document_id: UUID) -> list[str]:
    return [type(e).__name__ for e in app.repository.event_store.get(document_id)]


def test_a_valid_invoice_for_a_client_is_kept_with_its_result_in_one_save(office, inbound):
    client_id = office.new_client(enterprise_number=CUSTOMER)
    outcome = inbound.receive(office.firm_id, in_sbd(INVOICE), "invoice.xml")
    assert (outcome.status, outcome.client_id, outcome.document_type) == (
        "received", client_id, "purchase-invoice")
    assert outcome.validation.valid
    document = office.app.document(office.firm_id, outcome.document_id)
    assert (document.channel, document.media_type, document.peppol_valid) == (
        "peppol", "application/xml", True)
    assert document.sender == f"9925:BE{SUPPLIER}"
    assert office.app.document_content(office.firm_id, document.id, office.admin) == \
        in_sbd(INVOICE)
    assert events_of(office.app, document.id) == ["DocumentReceived",
                                                  "PeppolDocumentValidated"]


def test_an_invalid_invoice_is_kept_marked_invalid_with_its_rule_ids(office, inbound):
    office.new_client(enterprise_number=CUSTOMER)
    outcome = inbound.receive(office.firm_id, WITHOUT_PROFILE)
    document = office.app.document(office.firm_id, outcome.document_id)
    assert document.peppol_valid is False and document.status is DocumentStatus.INBOX
    [_, validated] = office.app.repository.event_store.get(document.id)
    assert "PEPPOL-EN16931-R001" in [e["rule"] for e in validated.errors]
    assert validated.valid is False and "Peppol BIS Billing 3.0.19" in validated.rules


def test_the_embedded_pdf_is_kept_as_the_documents_rendition(office, inbound):
    client_id = office.new_client(enterprise_number=SUPPLIER)
    pdf = b"%PDF-1.4 human-readable"
    outcome = inbound.receive(office.firm_id, with_pdf(INVOICE, pdf, "F-2026-1.pdf"))
    assert (outcome.client_id, outcome.document_type) == (client_id, "sales-invoice")
    document = office.app.document(office.firm_id, outcome.document_id)
    assert office.app.blobs.get(document.rendition_ref) == pdf
    assert events_of(office.app, document.id)[-1] == "RenditionAttached"


def test_a_document_for_an_unknown_receiver_is_parked_then_replayed_once_the_client_exists(
        office, inbound):
    outcome = inbound.receive(office.firm_id, INVOICE, "for-nobody.xml")
    assert outcome.status == "parked" and outcome.document_id is None
    assert f"0208:{CUSTOMER}" in (outcome.reason or "")
    [parked] = inbound.parked.waiting(office.firm_id)
    assert (parked.parked_id, parked.file_name) == (outcome.parked_id, "for-nobody.xml")
    assert office.app.blobs.get(parked.blob_ref) == INVOICE

    still = inbound.replay(office.firm_id, parked.parked_id)
    assert still.status == "parked"

    client_id = office.new_client(enterprise_number=CUSTOMER)
    replayed = inbound.replay(office.firm_id, parked.parked_id)
    assert (replayed.status, replayed.client_id) == ("received", client_id)
    assert inbound.parked.waiting(office.firm_id) == []
    assert inbound.parked.get(parked.parked_id).document_id == str(replayed.document_id)


def test_a_parked_document_of_another_firm_cannot_be_replayed(app, office, inbound):
    outcome = inbound.receive(office.firm_id, INVOICE)
    other = open_office(app, "Other firm")
    with pytest.raises(ParkedDocumentNotFound, match="no parked Peppol document"):
        inbound.replay(other.firm_id, outcome.parked_id)


def test_auto_send_sends_a_valid_peppol_invoice_and_never_an_invalid_one(app, db, office,
                                                                          inbound):
    client_id = office.new_client(enterprise_number=CUSTOMER)
    app.link_integration(office.firm_id, client_id, "octopus", office.admin,
                         {"purchase_address": "in@octopus.example"}, ubl=True)
    good = inbound.receive(office.firm_id, INVOICE).document_id
    bad = inbound.receive(office.firm_id, WITHOUT_PROFILE).document_id
    package = RecordingPackage()
    reader = RecognitionWorker(app, DuplicateIndex(db), recognise)  # auto-send follows it
    runtimes = [ConsumerRuntime(LogSource(app, db, h.name, h.topics), h, StoreDeadLetters(db),
                                poll_timeout=0.02)
                for h in (reader, Router(app, lambda code: package))]
    for _ in range(3):
        for runtime in runtimes:
            drain(runtime, idle_polls=1)
    assert app.document(office.firm_id, good).status is DocumentStatus.SENT
    assert app.document(office.firm_id, bad).status is DocumentStatus.INBOX
    assert list(package.received) == [f"lucy-{good.hex}"]


def test_the_peppol_read_model_shows_the_result_and_the_rendition(app, db, office, inbound):
    office.new_client(enterprise_number=CUSTOMER)
    document_id = inbound.receive(
        office.firm_id, with_pdf(WITHOUT_PROFILE, b"%PDF-1.4 x", "r.pdf")).document_id
    projection = PeppolValidationsProjection(db)
    drain(ConsumerRuntime(LogSource(app, db, projection.name, projection.topics), projection,
                          StoreDeadLetters(db), poll_timeout=0.02))
    shown = peppol_validation(db, office.firm_id, document_id)
    assert shown["valid"] is False
    assert "PEPPOL-EN16931-R001" in [e["rule"] for e in shown["errors"]]
    assert set(shown["errors"][0]) == {"rule", "flag", "location", "message"}
    assert shown["rendition"] == {"file_name": "r.pdf", "media_type": "application/pdf",
                                  "size": 10}
    assert peppol_validation(db, open_office(app, "Other").firm_id, document_id) is None
