"""The client's quarantine as events: kept with its reason, released or discarded by
an admin only, once; the inbox address never changes."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.aggregates.inbox import QuarantinedMailNotFound, inbox_local_part
from tests.support import client_fields

ADMIN = Actor.staff(uuid4(), Role.ADMIN)
ACCOUNTANT = Actor.staff(uuid4(), Role.ACCOUNTANT)
SMTP = Actor.system("smtp-intake")


def new_client() -> Client:
    return Client.create(client_id=uuid4(), firm_id=uuid4(), by=ADMIN, **client_fields())


def held(client: Client) -> object:
    mail_id = uuid4()
    client.quarantine_mail(mail_id=mail_id, sender="ceo@bank.example", subject="Pay now",
                           message_id="<1@bank.example>", reason="sender not allowed",
                           raw_blob_ref="sha256/ab", raw_size=120,
                           attachments=["invoice.pdf"], by=SMTP)
    return mail_id


def test_a_client_has_its_inbox_address_from_the_name_it_was_created_with():
    client = new_client()
    assert client.inbox_local_part == inbox_local_part("Bakkerij Claes", client.id)


def test_quarantined_mail_is_kept_with_its_reason_until_decided():
    client = new_client()
    mail_id = held(client)
    mail = client.quarantined(mail_id)
    assert (mail.sender, mail.reason, mail.attachments) == (
        "ceo@bank.example", "sender not allowed", ("invoice.pdf",))
    assert client.collect_events()[-1].__class__.__name__ == "MailQuarantined"


def test_an_admin_releases_quarantined_mail_naming_the_documents_it_became():
    client = new_client()
    mail_id = held(client)
    document_id = uuid4()
    client.release_mail(mail_id, [document_id], ADMIN)
    event = client.collect_events()[-1]
    assert event.document_ids == [str(document_id)] and event.actor == str(ADMIN)
    assert client.quarantine == {}


def test_an_accountant_may_neither_release_nor_discard():
    client = new_client()
    mail_id = held(client)
    with pytest.raises(PermissionDenied):
        client.release_mail(mail_id, [], ACCOUNTANT)
    with pytest.raises(PermissionDenied):
        client.discard_mail(mail_id, ACCOUNTANT)


def test_a_mail_discarded_cannot_be_released_afterwards():
    client = new_client()
    mail_id = held(client)
    client.discard_mail(mail_id, ADMIN)
    with pytest.raises(QuarantinedMailNotFound, match="no quarantined mail"):
        client.release_mail(mail_id, [], ADMIN)
