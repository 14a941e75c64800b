"""The multisender's decisions, without I/O: destinations confirmed by a single-use link
before use, and sendings whose outcomes never touch the document's own delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.aggregates.multisender import Multisender
from lucy_events.aggregates.multisender_rules import (
    CONFIRMATION_VALIDITY,
    MAX_DESTINATIONS,
    ConfirmationLinkExpired,
    ConfirmationLinkInvalid,
    DestinationExists,
    DestinationNotConfirmed,
    DestinationNotFound,
    SendingNotRetryable,
    TooManyDestinations,
    check_client_side,
)
from lucy_events.aggregates.multisends import Multisends

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
FIRM, CLIENT, DOCUMENT = uuid4(), uuid4(), uuid4()
BY = Actor.client(CLIENT)
WORKER = Actor.system("multisender")


def multisender() -> Multisender:
    return Multisender.open(firm_id=FIRM, client_id=CLIENT, by=BY)


def added(ms: Multisender, address: str = "Inbox@Octopus.example", token: str = "h1"):
    return ms.add(destination_id=uuid4(), address=address, label=None, token_hash=token,
                  now=NOW, by=BY)


def test_a_multisender_is_found_from_its_clients_id():
    assert multisender().id == Multisender.id_for(CLIENT) != Multisender.id_for(uuid4())


def test_a_new_destination_is_unconfirmed_with_its_address_in_lower_case_as_its_label():
    ms = multisender()
    destination = added(ms)
    assert (destination.address, destination.label) == ("inbox@octopus.example",) * 2
    assert not destination.confirmed
    assert destination.expires_at == NOW + CONFIRMATION_VALIDITY


def test_an_address_that_is_not_one_is_refused_naming_the_field():
    with pytest.raises(InvalidValue) as refused:
        added(multisender(), "octopus")
    assert refused.value.field == "address"


def test_a_label_longer_than_80_characters_is_refused_naming_the_field():
    with pytest.raises(InvalidValue) as refused:
        multisender().add(destination_id=uuid4(), address="a@b.example", label="x" * 81,
                          token_hash="h", now=NOW, by=BY)
    assert refused.value.field == "label"


def test_the_same_address_twice_is_refused():
    ms = multisender()
    added(ms, "a@b.example")
    with pytest.raises(DestinationExists):
        added(ms, "A@B.example", "h2")


def test_a_client_has_at_most_twenty_destinations():
    ms = multisender()
    for n in range(MAX_DESTINATIONS):
        added(ms, f"d{n}@b.example", f"h{n}")
    with pytest.raises(TooManyDestinations):
        added(ms, "one-more@b.example", "h-more")


def test_nothing_is_sent_to_an_unconfirmed_destination():
    ms = multisender()
    destination = added(ms)
    with pytest.raises(DestinationNotConfirmed):
        ms.usable(destination.destination_id)


def test_the_link_confirms_the_destination_once():
    ms = multisender()
    destination = added(ms, token="link")
    ms.confirm("link", NOW + timedelta(days=1), WORKER)
    assert ms.usable(destination.destination_id).confirmed
    with pytest.raises(ConfirmationLinkInvalid, match="used already"):
        ms.confirm("link", NOW + timedelta(days=1), WORKER)


def test_an_expired_link_confirms_nothing_and_a_new_one_replaces_it():
    ms = multisender()
    destination = added(ms, token="old")
    with pytest.raises(ConfirmationLinkExpired):
        ms.confirm("old", NOW + CONFIRMATION_VALIDITY + timedelta(seconds=1), WORKER)
    later = NOW + timedelta(days=8)
    ms.resend_confirmation(destination.destination_id, "new", later, BY)
    with pytest.raises(ConfirmationLinkInvalid, match="replaced"):
        ms.confirm("old", later, WORKER)
    assert ms.confirm("new", later, WORKER).confirmed


def test_an_unknown_link_confirms_nothing():
    with pytest.raises(ConfirmationLinkInvalid, match="not known"):
        multisender().confirm("nope", NOW, WORKER)


def test_a_removed_destination_takes_no_more_documents_and_its_link_stops_working():
    ms = multisender()
    destination = added(ms, token="link")
    ms.remove(destination.destination_id, BY)
    with pytest.raises(DestinationNotFound):
        ms.usable(destination.destination_id)
    with pytest.raises(ConfirmationLinkInvalid):
        ms.confirm("link", NOW, WORKER)


@pytest.mark.parametrize("actor", [Actor.staff(uuid4(), Role.ADMIN),
                                   Actor.staff(uuid4(), Role.ACCOUNTANT),
                                   Actor.system("ops")])
def test_only_the_client_itself_manages_its_multisender(actor):
    with pytest.raises(PermissionDenied):
        check_client_side(actor)
    check_client_side(BY)
    check_client_side(Actor.client_user(uuid4(), CLIENT))


def confirmed_destination(ms: Multisender):
    destination = added(ms, token="t")
    ms.confirm("t", NOW, WORKER)
    return ms.usable(destination.destination_id)


def test_a_sending_is_requested_then_sent_with_its_message_id_once():
    destination = confirmed_destination(multisender())
    sends = Multisends.open(firm_id=FIRM, client_id=CLIENT, document_id=DOCUMENT, by=BY)
    assert sends.id == Multisends.id_for(DOCUMENT)
    sending = sends.request(uuid4(), destination, BY)
    assert (sending.status, sending.attempt, sending.address) == (
        "requested", 1, "inbox@octopus.example")
    assert sends.awaits(sending.sending_id, 1)
    sends.record_sent(sending.sending_id, 1, sending.message_id_header, WORKER)
    assert sends.sending(sending.sending_id).status == "sent"
    assert not sends.awaits(sending.sending_id, 1)
    with pytest.raises(SendingNotRetryable):
        sends.record_sent(sending.sending_id, 1, "again", WORKER)
    with pytest.raises(SendingNotRetryable):
        sends.retry(sending.sending_id, BY)


def test_a_failed_sending_keeps_its_reason_and_goes_again_under_the_same_key():
    destination = confirmed_destination(multisender())
    sends = Multisends.open(firm_id=FIRM, client_id=CLIENT, document_id=DOCUMENT, by=BY)
    sending = sends.request(uuid4(), destination, BY)
    key, message_id = sending.key, sending.message_id_header
    sends.record_failed(sending.sending_id, 1, "451 try later", True, WORKER)
    failed = sends.sending(sending.sending_id)
    assert (failed.status, failed.reason, failed.retryable) == ("failed", "451 try later", True)
    again = sends.retry(sending.sending_id, BY)
    assert (again.status, again.attempt, again.key, again.message_id_header) == (
        "requested", 2, key, message_id)
    assert not sends.awaits(sending.sending_id, 1) and sends.awaits(sending.sending_id, 2)


def test_every_sending_event_names_the_document_and_the_address():
    destination = confirmed_destination(multisender())
    sends = Multisends.open(firm_id=FIRM, client_id=CLIENT, document_id=DOCUMENT, by=BY)
    sending = sends.request(uuid4(), destination, BY)
    sends.record_failed(sending.sending_id, 1, "550 no such user", False, WORKER)
    events = sends.collect_events()
    assert [type(e).__name__ for e in events] == [
        "MultisendsOpened", "MultisendRequested", "MultisendFailed"]
    assert all(e.document_id == DOCUMENT for e in events)
    assert all(e.address == "inbox@octopus.example" for e in events[1:])


def test_neither_the_router_nor_auto_send_reads_the_multisenders_topic():
    from lucy_events.bus.catalogue import MULTISENDER_TOPIC, TOPIC_OF
    from lucy_events.routers.router import Router

    assert MULTISENDER_TOPIC not in Router.topics  # auto-send is the router's too
    assert TOPIC_OF["MultisendRequested"] == TOPIC_OF["DestinationAdded"] == MULTISENDER_TOPIC
