"""DocumentSent recorded together by the router's workers: one save for the workers that
finish at once, each worker back only once its own document is recorded, a refusal or a
conflict on one document never costs the others theirs."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from lucy_events.routers.sent_together import SentTogether
from tests.support import Office, open_office

ROUTER = Actor.system("router")


@pytest.fixture
def office(tmp_path, clock):
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield open_office(app)
    app.close()


def sending(office: Office, count: int) -> list[UUID]:
    client_id = office.new_client()
    office.app.change_auto_send(office.firm_id, client_id, False, office.admin)
    ids = [office.receive(client_id) for _ in range(count)]
    office.app.request_bulk_send(office.firm_id, ids, office.admin)
    return ids


def status(office: Office, document_id: UUID) -> DocumentStatus:
    return office.app.document(office.firm_id, document_id).status


def test_workers_finishing_while_a_save_is_under_way_are_recorded_by_the_next_save(office):
    ids = sending(office, 6)
    app = office.app
    together = SentTogether(app, ROUTER)
    saves: list[int] = []
    first_saving, release = threading.Event(), threading.Event()
    record = app.record_sent_together

    def counted(sent, by):
        saves.append(len(sent))
        if len(saves) == 1:  # hold the first save until the others wait behind it
            first_saving.set()
            release.wait(5)
        return record(sent, by)

    app.record_sent_together = counted  # type: ignore[method-assign]
    documents = [app.document_for_system(d) for d in ids]
    first = threading.Thread(target=together.record, args=(documents[0], "octopus", "r0"))
    first.start()
    assert first_saving.wait(5)
    others = [threading.Thread(target=together.record, args=(d, "octopus", f"r{n}"))
              for n, d in enumerate(documents[1:], start=1)]
    for thread in others:
        thread.start()
    while len(together._waiting) < 5:  # all five wait behind the first save
        threading.Event().wait(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(5)

    assert saves == [1, 5]
    assert all(status(office, d) is DocumentStatus.SENT for d in ids)


def test_a_document_its_rule_refuses_gets_its_error_and_the_others_are_recorded(office):
    ids = sending(office, 3)
    app = office.app
    documents = [app.document_for_system(d) for d in ids]
    app.record_sent(ids[1], "octopus", "earlier", ROUTER)  # another router was first

    outcomes = app.record_sent_together(
        [(d, "octopus", f"r{n}") for n, d in enumerate(documents)], ROUTER)

    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], DomainError)
    assert [e.remote_reference for e in app.events.get(ids[1])
            if type(e).__name__ == "DocumentSent"] == ["earlier"]
    assert all(status(office, d) is DocumentStatus.SENT for d in ids)


def test_a_document_changed_since_it_was_loaded_is_recorded_alone_from_a_fresh_load(office):
    ids = sending(office, 3)
    app = office.app
    documents = [app.document_for_system(d) for d in ids]
    app.record_sent(ids[2], "octopus", "earlier", ROUTER)  # a newer version is stored

    outcomes = app.record_sent_together(
        [(d, "octopus", f"r{n}") for n, d in enumerate(documents)], ROUTER)

    assert outcomes[:2] == [None, None]
    assert isinstance(outcomes[2], DomainError)  # found Sent on the fresh load
    assert all(status(office, d) is DocumentStatus.SENT for d in ids)
    assert [len([e for e in app.events.get(d) if type(e).__name__ == "DocumentSent"])
            for d in ids] == [1, 1, 1]


def test_a_refusal_reaches_the_worker_whose_document_it_was(office):
    ids = sending(office, 1)
    app = office.app
    document = app.document_for_system(ids[0])
    app.record_sent(ids[0], "octopus", "earlier", ROUTER)

    with pytest.raises(DomainError):
        SentTogether(app, ROUTER).record(document, "octopus", "again")
