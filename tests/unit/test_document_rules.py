"""The Document aggregate's rules, without any store."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import (
    AlreadySent,
    ArchiveOnlyAfterSent,
    DocumentLocked,
    DocumentStatus,
    NoSendInProgress,
    NotSendable,
    SendAlreadyRequested,
    SentDocumentCannotBeDeleted,
    UntypedDocumentCannotBeSent,
)
from lucy_events.aggregates.errors import InvalidValue

STAFF = Actor.staff(uuid4(), Role.ACCOUNTANT)
ROUTER = Actor.system("router")


def received(document_type: str | None = "purchase-invoice") -> Document:
    return Document.receive(
        document_id=uuid4(), firm_id=uuid4(), client_id=uuid4(), channel="email",
        file_name="inv.pdf", media_type="application/pdf", size=10, sha256="a" * 64,
        blob_ref="sha256:" + "a" * 64, sender="ap@supplier.example",
        document_type=document_type, by=Actor.system("smtp"),
    )


def sent() -> Document:
    document = received()
    document.request_send(STAFF)
    document.record_sent("octopus", "msg-1", ROUTER)
    return document


def test_a_received_document_waits_in_the_inbox():
    document = received()
    assert document.status is DocumentStatus.INBOX
    event = document.pending_events[0]
    assert (event.actor, event.client_id) == ("system:smtp", document.client_id)


def test_an_untyped_document_cannot_be_sent():
    document = received(document_type=None)
    with pytest.raises(UntypedDocumentCannotBeSent):
        document.request_send(STAFF)
    document.assign_type("receipt", STAFF)
    document.request_send(STAFF)
    assert document.status is DocumentStatus.SENDING


def test_a_sent_document_cannot_be_sent_again():
    with pytest.raises(AlreadySent):
        sent().request_send(STAFF)


def test_a_sent_document_cannot_be_deleted():
    with pytest.raises(SentDocumentCannotBeDeleted):
        sent().delete(STAFF)


def test_an_archived_document_cannot_be_deleted_or_resent():
    document = sent()
    document.archive(STAFF)
    with pytest.raises(SentDocumentCannotBeDeleted):
        document.delete(STAFF)
    with pytest.raises(AlreadySent):
        document.request_send(STAFF)


def test_only_a_sent_document_can_be_archived():
    with pytest.raises(ArchiveOnlyAfterSent):
        received().archive(STAFF)


def test_a_failed_document_keeps_its_reason_and_can_be_sent_again():
    document = received()
    document.request_send(STAFF)
    document.record_send_failure("SMTP 451 try later", True, ROUTER)
    assert document.status is DocumentStatus.FAILED
    assert (document.failure_reason, document.retryable) == ("SMTP 451 try later", True)
    document.request_send(STAFF)
    assert document.pending_events[-1].attempt == 2
    document.record_sent("octopus", "msg-2", ROUTER)
    assert document.failure_reason is None


def test_a_rejected_document_cannot_be_sent_again():
    document = received()
    document.request_send(STAFF)
    document.record_rejection("duplicate invoice number", ROUTER)
    with pytest.raises(NotSendable):
        document.request_send(STAFF)


def test_a_second_send_while_one_is_in_progress_is_refused():
    document = received()
    document.request_send(STAFF)
    with pytest.raises(SendAlreadyRequested):
        document.request_send(STAFF)


def test_an_outcome_needs_a_send_in_progress():
    with pytest.raises(NoSendInProgress):
        received().record_sent("octopus", "x", ROUTER)
    with pytest.raises(AlreadySent):
        sent().record_send_failure("late failure", True, ROUTER)


def test_the_type_of_a_document_being_sent_cannot_change():
    document = received()
    document.request_send(STAFF)
    with pytest.raises(DocumentLocked):
        document.assign_type("receipt", STAFF)


def test_an_unknown_document_type_is_refused_naming_the_field():
    with pytest.raises(InvalidValue) as error:
        received().assign_type("pizza", STAFF)
    assert error.value.field == "document_type"


def test_a_deleted_document_cannot_be_deleted_twice():
    document = received()
    document.delete(STAFF)
    with pytest.raises(DocumentLocked):
        document.delete(STAFF)
