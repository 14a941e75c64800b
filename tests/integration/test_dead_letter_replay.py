"""Parked messages have a way back: replayed through the consumer that parked them,
with its tracking, so a message replayed twice has one effect."""

from __future__ import annotations

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bus.dead_letter_replay import DeadLetterReplay
from lucy_events.bus.dead_letters import DeadLetterNotFound, StoreDeadLetters
from lucy_events.bus.faults import InvalidMessage
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Position, Undecodable
from lucy_events.routers.router import Router
from tests.bus_support import RecordingProjection
from tests.integration.test_consumer_runtime import app, drain, read_db  # noqa: F401
from tests.integration.test_relay import busy_office
from tests.integration.test_router import RecordingPackage, linked_client
from tests.support import open_office


def run(app, read_db, handler) -> StoreDeadLetters:  # noqa: F811
    dead_letters = StoreDeadLetters(read_db)
    drain(ConsumerRuntime(LogSource(app, read_db, handler.name, handler.topics), handler,
                          dead_letters, poll_timeout=0.05))
    return dead_letters


def test_a_parked_message_replayed_twice_has_one_effect(app, read_db):  # noqa: F811
    busy_office(app)
    projection = RecordingProjection(read_db)
    poison = LogSource(app, read_db, "peek", projection.topics).poll(5, 0.1) \
        .deliveries[3].event.event_id
    projection.fail_on = {poison}
    dead_letters = run(app, read_db, projection)
    [letter] = dead_letters.list()
    assert letter.event_id == poison and "cannot apply" in letter.error
    assert dead_letters.get(letter.id) == letter
    projection.fail_on = set()  # the handler was fixed
    replaying = DeadLetterReplay(dead_letters, app, [projection])

    first = replaying.replay(letter)
    second = replaying.replay(letter)  # e.g. two operators at once, from the same listing

    assert (first.outcome, second.outcome) == ("replayed", "already replayed")
    assert [r[0] for r in projection.rows()].count(poison) == 1
    assert len(projection.rows()) == app.recorder.max_notification_id()
    with pytest.raises(DeadLetterNotFound):
        dead_letters.get(letter.id)


def test_a_message_still_refused_stays_parked_with_the_newest_reason(app, read_db):  # noqa: F811
    busy_office(app)
    projection = RecordingProjection(read_db)
    first_event = LogSource(app, read_db, "peek", projection.topics).poll(1, 0.1) \
        .deliveries[0].event.event_id
    projection.fail_on = {first_event}
    dead_letters = run(app, read_db, projection)
    [letter] = dead_letters.list()
    result = DeadLetterReplay(dead_letters, app, [projection]).replay(letter)
    assert result.outcome == "refused again" and "cannot apply" in (result.reason or "")
    assert [d.id for d in dead_letters.list()] == [letter.id]


def test_a_send_request_parked_by_the_router_is_delivered_once_however_often_replayed(
    app, read_db  # noqa: F811
):
    office = open_office(app)
    client_id = linked_client(office)
    app.change_auto_send(office.firm_id, client_id, False, office.admin)
    document_id = office.receive(client_id)
    app.request_send(office.firm_id, document_id, office.admin)
    package = RecordingPackage()
    # The router handles each request alone (bus.pipelined): one refusal parks it.
    package.failures = [InvalidMessage("the package's answer made no sense")]
    router = Router(app, lambda code: package)
    dead_letters = run(app, read_db, router)
    [letter] = dead_letters.list()
    assert letter.consumer == "router" and letter.firm_id == str(office.firm_id)
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENDING

    replaying = DeadLetterReplay(dead_letters, app, [router])
    outcomes = [replaying.replay(letter).outcome for _ in range(2)]

    assert outcomes == ["replayed", "already replayed"]
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENT
    assert len(package.received) == 1  # one copy
    assert package.calls == 2  # refused once, then the first replay


def test_a_recognised_document_parked_by_the_former_auto_send_consumer_is_sent_when_replayed(
    app, read_db  # noqa: F811
):
    from lucy_events.recognition.duplicates import DuplicateIndex
    from lucy_events.recognition.fields import Recognition
    from lucy_events.recognition.worker import RecognitionWorker

    office = open_office(app)
    client_id = linked_client(office)  # auto-send on
    document_id = office.receive(client_id, document_type="purchase-invoice")
    run(app, read_db, RecognitionWorker(app, DuplicateIndex(read_db), lambda *a, **k: (
        Recognition(method="none", confidence=0.0, reason="the type was given"))))
    [recognised] = [d for d in LogSource(app, read_db, "peek", Router.topics).poll(50, 0.1)
                    .deliveries if d.event_type == "DocumentRecognised"]
    dead_letters = StoreDeadLetters(read_db)
    # Parked before auto-send became part of the router (its group was "auto-send").
    dead_letters.park_failed(recognised, InvalidMessage("refused"), "auto-send")
    [letter] = dead_letters.list()

    replaying = DeadLetterReplay(dead_letters, app, [Router(app, lambda code: None)])
    outcomes = [replaying.replay(letter).outcome for _ in range(2)]

    assert outcomes == ["replayed", "already replayed"]
    assert app.document(office.firm_id, document_id).status is DocumentStatus.SENDING
    assert dead_letters.list() == []


def test_an_undecodable_message_is_listed_without_a_firm_and_can_be_discarded(read_db):  # noqa: F811
    dead_letters = StoreDeadLetters(read_db)
    dead_letters.park_undecodable(Undecodable(Position("lucy.client-events.v1", 2, 41),
                                              b"junk", "unknown magic byte"), "dashboard")
    [letter] = dead_letters.list()
    assert letter.id == "dashboard:lucy.client-events.v1:2:41" and letter.undecodable
    assert dead_letters.list(firm_id="someone") == []
    assert dead_letters.discard(letter) is True
    assert dead_letters.list() == [] and dead_letters.discard(letter) is False
