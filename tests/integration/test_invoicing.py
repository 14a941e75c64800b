"""Invoicing on the event store: settings, draft, edit, issue with a valid BIS 3 UBL and
its PDF, credit notes, the sales document in the client's Inbox, and the invoice list."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import date

import pdfplumber
import pytest
from lxml import etree

from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.invoice_rules import (
    InvoiceAlreadyIssued,
    InvoiceRulesBroken,
    InvoiceSettingsMissing,
)
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.peppol.validation import validate
from lucy_events.projections.invoice_queries import earlier_customers, list_invoices
from lucy_events.projections.invoices import InvoicesProjection
from lucy_events.sqldb import Database
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values
from tests.support import Office, open_office

UBL = {"ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
       "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
       "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
       "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
ISSUED_ON = date(2026, 12, 1)


@pytest.fixture
def world(tmp_path, clock) -> Iterator[tuple[Office, Database]]:
    url = f"sqlite:///{tmp_path}/events.db"
    app = LucyApplication(persistence_env(url), blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(f"sqlite:///{tmp_path}/read.db")
    yield open_office(app), db
    app.close()
    db.close()


def catch_up(office: Office, db: Database) -> None:
    projection = InvoicesProjection(db)
    source = LogSource(office.app, db, projection.name, projection.topics,
                       wakeup=threading.Event())
    runtime = ConsumerRuntime(source, projection, StoreDeadLetters(db), poll_timeout=0)
    while runtime.step():
        pass


def test_settings_start_prefilled_from_the_client_and_are_kept_when_saved(world):
    office, _ = world
    client_id = office.new_client()
    form, saved = office.app.invoice_settings(office.firm_id, client_id, office.accountant)
    assert saved is None
    assert (form["seller_name"], form["seller_enterprise_number"], form["seller_city"]) == (
        "Bakkerij Claes", "0403170701", "Gent")
    logo = (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    office.app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.accountant,
                                     logo=logo)
    form, saved = office.app.invoice_settings(office.firm_id, client_id, office.admin)
    assert saved is not None and saved.iban == "BE71096123456769"
    assert office.app.invoice_logo(office.firm_id, client_id, office.admin) == logo
    office.app.save_invoice_settings(office.firm_id, client_id, {**SETTINGS, "language": "fr"},
                                     office.admin)
    assert office.app.invoice_logo(office.firm_id, client_id, office.admin) == logo
    other = open_office(office.app, "Other Firm")
    with pytest.raises(ClientNotFound):
        other.app.invoice_settings(other.firm_id, client_id, other.admin)


def test_an_issued_invoice_has_its_number_a_valid_ubl_embedding_its_pdf_and_never_changes(
        world):
    office, db = world
    client_id = office.new_client()
    app = office.app
    draft = app.draft_invoice(office.firm_id, client_id, draft_values(), office.accountant)
    with pytest.raises(InvoiceSettingsMissing):
        app.issue_invoice(office.firm_id, client_id, draft.id, office.accountant, ISSUED_ON)
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.accountant)
    app.edit_invoice(office.firm_id, client_id, draft.id,
                     draft_values(note="Bestelling 42"), office.accountant)
    issued = app.issue_invoice(office.firm_id, client_id, draft.id, office.accountant,
                               ISSUED_ON)
    assert issued.number == "INV-2026-00001"
    assert issued.structured_communication == "+++260/0000/00170+++"
    ubl = app.blobs.get(issued.ubl_ref or "")
    assert validate(ubl).valid
    root = etree.fromstring(ubl)
    assert root.findtext("cbc:CustomizationID", namespaces=UBL).endswith("billing:3.0")
    assert root.find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
                     UBL).attrib["schemeID"] == "0208"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=UBL) == "329.49"
    assert root.findtext("cac:PaymentMeans/cbc:PaymentID", namespaces=UBL) == (
        issued.structured_communication)
    pdf = app.blobs.get(issued.pdf_ref or "")
    embedded = root.findtext("cac:AdditionalDocumentReference/cac:Attachment/"
                             "cbc:EmbeddedDocumentBinaryObject", namespaces=UBL)
    import base64
    assert base64.b64decode(embedded) == pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
    assert "Factuur INV-2026-00001" in text and "+++260/0000/00170+++" in text
    assert "329.49" in text
    with pytest.raises(InvoiceAlreadyIssued):
        app.edit_invoice(office.firm_id, client_id, draft.id, draft_values(), office.admin)
    with pytest.raises(InvoiceAlreadyIssued):
        app.issue_invoice(office.firm_id, client_id, draft.id, office.admin, ISSUED_ON)

    sales = app.document(office.firm_id, issued.document_id, office.admin)
    assert (sales.document_type, sales.channel, sales.media_type) == (
        "sales-invoice", "invoicing", "application/xml")
    assert app.blobs.get(sales.blob_ref) == ubl and sales.rendition_ref == issued.pdf_ref

    credit = app.draft_credit_note(office.firm_id, client_id, draft.id, {}, office.admin)
    credit = app.issue_invoice(office.firm_id, client_id, credit.id, office.admin, ISSUED_ON)
    assert credit.number == "INV-2026-00002"
    credit_ubl = app.blobs.get(credit.ubl_ref or "")
    assert validate(credit_ubl).valid
    assert etree.fromstring(credit_ubl).findtext(
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=UBL
    ) == "INV-2026-00001"
    assert app.document(office.firm_id, credit.document_id,
                        office.admin).document_type == "sales-credit-note"

    catch_up(office, db)
    rows = list_invoices(db, firm_id=office.firm_id, client_id=client_id)
    assert {(r.kind, r.status, r.number, r.total_incl_vat) for r in rows} == {
        ("invoice", "Issued", "INV-2026-00001", "329.49"),
        ("credit-note", "Issued", "INV-2026-00002", "329.49")}
    assert [c["name"] for c in earlier_customers(
        db, firm_id=office.firm_id, client_id=client_id)] == [CUSTOMER["name"]]


def test_an_invoice_breaking_a_peppol_rule_is_not_issued_and_its_number_stays_free(world):
    office, _ = world
    client_id = office.new_client()
    app = office.app
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
    without_address = {**CUSTOMER, "enterprise_number": "", "vat": "", "email": ""}
    draft = app.draft_invoice(office.firm_id, client_id, draft_values(
        customer=without_address, lines=[{
            "description": "Reverse charge", "quantity": "1", "unit_price": "100",
            "vat_category": "AE", "exemption_reason": "Verlegging van heffing"}],
        adjustments=[]), office.admin)
    with pytest.raises(InvoiceRulesBroken) as refused:
        app.issue_invoice(office.firm_id, client_id, draft.id, office.admin, ISSUED_ON)
    messages = " ".join(refused.value.fields.values())
    assert "customer" in refused.value.fields
    assert "PEPPOL-EN16931-R020" in messages or "BR-AE-" in messages
    assert not app.invoice(office.firm_id, client_id, draft.id, office.admin).issued
    app.edit_invoice(office.firm_id, client_id, draft.id, draft_values(), office.admin)
    issued = app.issue_invoice(office.firm_id, client_id, draft.id, office.admin, ISSUED_ON)
    assert issued.number == "INV-2026-00001"


def test_issued_invoices_and_credit_notes_are_recognised_and_reach_the_package(world):
    from lucy_events.aggregates.document_rules import DocumentStatus
    from lucy_events.recognition.duplicates import DuplicateIndex
    from lucy_events.recognition.pipeline import recognise
    from lucy_events.recognition.worker import RecognitionWorker
    from lucy_events.routers.router import Router
    from tests.integration.test_consumer_runtime import drain
    from tests.integration.test_router import RecordingPackage

    office, db = world
    app = office.app
    client_id = office.new_client()
    app.link_integration(office.firm_id, client_id, "octopus", office.admin,
                         {"purchase_address": "in@octopus.example",
                          "sales_address": "out@octopus.example"}, ubl=True)
    app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
    draft = app.draft_invoice(office.firm_id, client_id, draft_values(), office.admin)
    invoice = app.issue_invoice(office.firm_id, client_id, draft.id, office.admin, ISSUED_ON)
    credit = app.draft_credit_note(office.firm_id, client_id, draft.id, {}, office.admin)
    credit = app.issue_invoice(office.firm_id, client_id, credit.id, office.admin, ISSUED_ON)
    package = RecordingPackage()
    reader = RecognitionWorker(app, DuplicateIndex(db), recognise)
    runtimes = [ConsumerRuntime(LogSource(app, db, h.name, h.topics), h, StoreDeadLetters(db),
                                poll_timeout=0.02)
                for h in (reader, Router(app, lambda code: package))]
    for _ in range(3):
        for runtime in runtimes:
            drain(runtime, idle_polls=1)
    for issued, kind in ((invoice, "sales-invoice"), (credit, "sales-credit-note")):
        document = app.document(office.firm_id, issued.document_id)
        assert (document.document_type, document.status) == (kind, DocumentStatus.SENT)
        assert document.recognition is not None and document.recognition["method"] == "ubl"
        assert document.read_fields["invoice_number"] == issued.number
        assert document.read_fields["structured_communication"] == (
            issued.structured_communication)
    assert sorted(package.received) == sorted(
        f"lucy-{d.hex}" for d in (invoice.document_id, credit.document_id))
