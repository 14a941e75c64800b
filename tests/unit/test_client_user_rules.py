"""The client portal's pure decisions: who among a company's users may manage users,
that the last owner stays, that a client user acts for their own company only, and how
their actor is recorded, read back from Avro and named in the history."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_user_rules import (
    LastOwner,
    NotAnOwner,
    OtherCompany,
    check_acts_for,
    check_may_manage_users,
    check_may_remove,
    check_staff_or_user_of,
    valid_role,
)
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.application.history_entries import who
from lucy_events.bus.avro import AvroCodec, SchemaRegistryFile
from lucy_events.bus.records import BusEvent
from tests.samples import sample_event
from tests.support import client_fields


def test_only_an_owner_may_invite_or_remove_users():
    check_may_manage_users("owner")
    with pytest.raises(NotAnOwner, match="only an owner"):
        check_may_manage_users("member")


def test_the_last_owner_cannot_be_removed_but_a_second_one_can():
    first, second = uuid4(), uuid4()
    with pytest.raises(LastOwner, match="last owner"):
        check_may_remove("owner", first, [first])
    check_may_remove("owner", second, [first, second])
    check_may_remove("owner", uuid4(), [first])  # a member


def test_a_member_cannot_remove_anyone():
    with pytest.raises(NotAnOwner):
        check_may_remove("member", uuid4(), [uuid4()])


def test_a_role_is_owner_or_member_and_anything_else_names_the_field():
    assert valid_role("member") == "member"
    with pytest.raises(InvalidValue) as refused:
        valid_role("admin")
    assert refused.value.field == "role"


def test_a_client_user_acts_for_their_own_company_only():
    ours, theirs = uuid4(), uuid4()
    user = Actor.client_user(uuid4(), ours)
    check_acts_for(user, ours)
    with pytest.raises(OtherCompany):
        check_acts_for(user, theirs)
    check_acts_for(Actor.staff(uuid4(), Role.ADMIN), theirs)  # staff: the firm's rules


def test_the_companys_choices_are_for_staff_the_system_or_its_own_users():
    company = uuid4()
    check_staff_or_user_of(Actor.staff(uuid4(), Role.ACCOUNTANT), company)
    check_staff_or_user_of(Actor.system("demo"), company)
    check_staff_or_user_of(Actor.client_user(uuid4(), company), company)
    with pytest.raises(PermissionDenied):
        check_staff_or_user_of(Actor.client(company), company)
    with pytest.raises(OtherCompany):
        check_staff_or_user_of(Actor.client_user(uuid4(), uuid4()), company)


def _client() -> Client:
    return Client.create(client_id=uuid4(), firm_id=uuid4(), by=Actor.system("test"),
                         **client_fields())


def test_auto_send_turned_off_by_a_client_user_records_them_as_the_actor():
    client = _client()
    user_id = uuid4()
    client.change_auto_send(False, Actor.client_user(user_id, client.id))
    [event] = [e for e in client.collect_events() if type(e).__name__ == "AutoSendChanged"]
    assert event.actor == f"client_user:{user_id}" and event.auto_send is False
    assert client.auto_send is False


def test_a_client_user_of_another_company_cannot_change_auto_send():
    client = _client()
    with pytest.raises(OtherCompany):
        client.change_auto_send(False, Actor.client_user(uuid4(), uuid4()))
    assert client.auto_send is True


def test_the_client_users_actor_reaches_the_bus_and_back_and_the_envelope_names_it():
    event = sample_event("AutoSendChanged")
    user_id = uuid4()
    event.__dict__["actor"] = f"client_user:{user_id}"
    codec = AvroCodec()
    sent = BusEvent.from_domain(event, notification_id=7)
    assert codec.decode(codec.encode(sent)).actor == f"client_user:{user_id}"
    envelope = SchemaRegistryFile().latest()["AutoSendChanged"].schema["fields"][0]["type"]
    [actor] = [f for f in envelope["fields"] if f["name"] == "actor"]
    assert "client_user:<id>" in actor["doc"] and "not an enum" in actor["doc"]


def test_the_history_names_a_client_user_by_name_or_as_a_user_of_the_client():
    user_id = uuid4()
    assert who(f"client_user:{user_id}", {}) == "a user of the client"
    assert who(f"client_user:{user_id}", {user_id: "Anna Claes"}) == "Anna Claes"
    assert who("client_user:not-an-id", {}) == "a user of the client"
