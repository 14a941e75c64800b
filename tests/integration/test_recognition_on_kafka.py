"""The recognition worker in its Kafka consumer group: it decodes DocumentReceived from
Avro, reads the real file, and what it records reaches the documents read model through
Kafka too (the new events' Avro shapes, decoded by another consumer)."""

from __future__ import annotations

import time

import pytest
from kafka import KafkaProducer

from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bootstrap import kafka_dead_letters, kafka_source
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import persistence_env
from lucy_events.projections import DocumentsProjection, get_document_row
from lucy_events.recognition.duplicates import DuplicateIndex
from lucy_events.recognition.pipeline import recognise
from lucy_events.recognition.worker import RecognitionWorker
from lucy_events.sqldb import Database
from tests.conftest import FAST_GROUP
from tests.support import open_office
from tests.ubl_samples import ubl_invoice

pytestmark = pytest.mark.kafka


def test_a_document_published_on_kafka_is_read_and_its_fields_reach_the_read_model(
        tmp_path, clock, broker):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(f"sqlite:///{tmp_path}/read.sqlite")
    try:
        office = open_office(app)
        client_id = office.new_client(enterprise_number="0202.239.951")
        content = ubl_invoice()
        first, second = (app.receive_document(IncomingDocument(
            office.firm_id, client_id, content, name, "application/xml", "peppol"),
            office.admin) for name in ("a.xml", "b.xml"))
        broker.create_topics(TOPICS)
        relay = Relay(app, db, lambda: KafkaProducer(**producer_settings(broker.bootstrap)))
        while relay.publish_next():
            pass
        worker = RecognitionWorker(app, DuplicateIndex(db), recognise)
        run(ConsumerRuntime(kafka_source(broker.bootstrap, worker.name, worker.topics,
                                         **FAST_GROUP),
                            worker, kafka_dead_letters(broker.bootstrap, db), poll_timeout=0.5),
            until=lambda: app.document_for_system(second).recognition is not None)
        assert app.document_for_system(second).held_as_duplicate

        while relay.publish_next():  # what the worker recorded, to Kafka
            pass
        projection = DocumentsProjection(db)
        projection.ensure_tables()  # as Services.projection_handlers() does at start
        run(ConsumerRuntime(kafka_source(broker.bootstrap, projection.name, projection.topics,
                                         **FAST_GROUP),
                            projection, kafka_dead_letters(broker.bootstrap, db),
                            poll_timeout=0.5),
            until=lambda: (row := get_document_row(db, firm_id=office.firm_id,
                                                   document_id=second)) is not None
            and row.duplicates == 1)
        row = get_document_row(db, firm_id=office.firm_id, document_id=second)
        assert (row.supplier_name, row.invoice_number, row.issue_date, row.total_incl_vat,
                row.recognition_method, row.document_type, row.duplicate_of) == (
            "Brouwerij Het Anker", "F2026-118", "2026-11-03", "121.00", "ubl",
            "purchase-invoice", str(first))
    finally:
        db.close()
        app.close()


def run(runtime: ConsumerRuntime, until, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    try:
        while not until():
            assert time.monotonic() < deadline, "the consumer did not get there in time"
            runtime.step()
    finally:
        runtime.source.close()
