"""The client's multisender on the one history (in-memory store): its destinations on
the client's history, what it sent of a document on that document's history under the
document's file name, the confirmation link's hash never shown by any presenter."""

from __future__ import annotations

import json
from uuid import uuid4

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.multisender import Multisender
from lucy_events.aggregates.multisends import Multisends
from lucy_events.application import LucyApplication
from lucy_events.audit.records import entry_record
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.history_text import format_history
from lucy_events.web.dashboard.history_lines import history_lines
from tests.support import open_office


def test_the_documents_history_says_what_the_client_sent_where_and_never_the_link_hash():
    app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                          blobs=InMemoryBlobStore())
    office = open_office(app)
    client_id = office.new_client()
    document_id = office.receive(client_id)
    client, worker = Actor.client(client_id), Actor.system("multisender")
    multisender = Multisender.open(firm_id=office.firm_id, client_id=client_id, by=client)
    added = multisender.add(destination_id=uuid4(), address="inbox@octopus.example",
                            label="Octopus", token_hash="f" * 64, now=app.clock(), by=client)
    destination = multisender.confirm("f" * 64, app.clock(), Actor.system("confirmation-link"))
    sends = Multisends.open(firm_id=office.firm_id, client_id=client_id,
                            document_id=document_id, by=client)
    sending = sends.request(uuid4(), destination, client)
    sends.record_failed(sending.sending_id, 1, "451 4.7.1 try later", True, worker)
    sends.retry(sending.sending_id, client)
    sends.record_sent(sending.sending_id, 2, sending.message_id_header, worker)
    app.save(multisender, sends)

    entries = app.client_history(office.firm_id, client_id, by=office.accountant)
    subjects = {e.event_type: e.subject for e in entries}
    assert subjects["DestinationAdded"] == "multisender"
    assert subjects["MultisendSent"] == "multisend"
    on_document = [e for e in entries if e.subject in ("document", "multisend")]
    assert {e.file_name for e in on_document} == {"invoice.pdf"}
    words = [line.what for line in history_lines(on_document, {})]
    assert words[:4] == [
        "Mailed to inbox@octopus.example (the client's multisender)",
        "The client sent it to inbox@octopus.example again (attempt 2)",
        "Not mailed to inbox@octopus.example: 451 4.7.1 try later",
        "The client sent it to inbox@octopus.example",
    ]
    assert "Received by upload" in words  # the document's own events, on the same history
    client_words = [line.what for line in history_lines(
        [e for e in entries if e.subject == "multisender"], {})]
    assert ("Added the destination Octopus <inbox@octopus.example> (to be confirmed from "
            "the e-mail sent there)") in client_words
    assert added.destination_id in {e.details.get("destination_id") for e in entries}

    shown = [json.dumps([entry_record(e) for e in entries], default=str),
             format_history(app.find_clients()[0], entries)]
    for text in shown:
        assert "token_hash" not in text and "f" * 64 not in text
