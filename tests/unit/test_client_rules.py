"""The Client aggregate's rules, without any store."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.client import Client, ClientStatus
from lucy_events.aggregates.client_rules import (
    AlreadyActive,
    ContactPersonLocked,
    InvitationExpired,
    InvitationInvalid,
    InvitationSuperseded,
    NoIntegrationLinked,
    NotInvited,
    OneIntegrationAtATime,
    PortalConfigurationMissing,
)
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from tests.support import client_fields

ADMIN = Actor.staff(uuid4(), Role.ADMIN)
ACCOUNTANT = Actor.staff(uuid4(), Role.ACCOUNTANT)


def new_client(**overrides: object) -> Client:
    return Client.create(client_id=uuid4(), firm_id=uuid4(), by=ADMIN, **client_fields(**overrides))


def invited(clock, token_hash: str = "h1") -> Client:
    client = new_client()
    client.invite(token_hash, clock(), ADMIN)
    return client


def test_a_new_client_is_created_with_auto_send_on_and_no_integration():
    client = new_client()
    assert client.status is ClientStatus.CREATED
    assert client.auto_send is True
    assert client.integration is None
    assert client.vat_number == "BE0403170701"


def test_every_client_event_carries_the_actor_and_the_firm():
    client = new_client()
    client.enable_peppol(True, False, ADMIN)
    for event in client.collect_events():
        assert event.actor == str(ADMIN)
        assert event.firm_id == client.firm_id


def test_an_invalid_belgian_enterprise_number_is_refused_naming_the_field():
    with pytest.raises(InvalidValue) as error:
        new_client(enterprise_number="0403.170.702")
    assert error.value.field == "enterprise_number"


def test_a_dutch_client_needs_an_eight_digit_kvk_number():
    with pytest.raises(InvalidValue) as error:
        new_client(country="NL", enterprise_number="1234567", vat_number=None)
    assert error.value.field == "enterprise_number"
    client = new_client(country="NL", enterprise_number="12345678", vat_number=None)
    assert client.enterprise_number == "12345678"


def test_a_missing_contact_email_is_refused_naming_the_nested_field():
    with pytest.raises(InvalidValue) as error:
        new_client(contact_person={"first_name": "A", "last_name": "B", "email": "nope"})
    assert error.value.field == "contact_person.email"


def test_an_invitation_is_valid_for_21_days(clock):
    client = invited(clock)
    assert client.status is ClientStatus.INVITED
    assert client.invitation_expires_at == clock.now.replace(day=23)


def test_activation_starts_a_30_day_business_pro_trial(clock):
    client = invited(clock)
    clock.advance(days=3)
    client.activate("h1", clock())
    assert client.status is ClientStatus.ACTIVE
    assert client.plan == "Business Pro"
    assert (client.trial_ends_on - clock.now.date()).days == 30
    assert client.pending_events[-1].actor == f"client:{client.id}"


def test_an_expired_invitation_cannot_activate(clock):
    client = invited(clock)
    clock.advance(days=21)
    with pytest.raises(InvitationExpired):
        client.activate("h1", clock())


def test_a_superseded_invitation_cannot_activate_after_a_resend(clock):
    client = invited(clock, "old")
    client.resend_invitation("new", clock(), ADMIN)
    with pytest.raises(InvitationSuperseded):
        client.activate("old", clock())
    client.activate("new", clock())
    assert client.status is ClientStatus.ACTIVE


def test_a_wrong_token_cannot_activate(clock):
    with pytest.raises(InvitationInvalid):
        invited(clock).activate("guess", clock())


def test_only_a_created_or_invited_client_can_be_invited(clock):
    client = invited(clock)
    client.invite("h2", clock(), ADMIN)  # inviting again is allowed while invited
    client.activate("h2", clock())
    with pytest.raises(AlreadyActive):
        client.invite("h3", clock(), ADMIN)


def test_an_invitation_can_only_be_resent_to_an_invited_client(clock):
    with pytest.raises(NotInvited):
        new_client().resend_invitation("h", clock(), ADMIN)


def test_the_contact_person_can_be_replaced_only_until_they_activate(clock):
    client = invited(clock)
    other = {"first_name": "Bram", "last_name": "Claes", "email": "bram@bakkerij.example"}
    client.replace_contact_person(other, ADMIN, token_hash="h-bram", now=clock())
    assert client.contact_person["email"] == "bram@bakkerij.example"
    client.invite("h2", clock(), ADMIN)
    client.activate("h2", clock())
    with pytest.raises(ContactPersonLocked):
        client.replace_contact_person(other, ADMIN)


def test_only_an_admin_changes_the_firm_contact_or_the_visibility():
    client = new_client()
    with pytest.raises(PermissionDenied):
        client.change_firm_contact(uuid4(), ACCOUNTANT)
    with pytest.raises(PermissionDenied):
        client.change_visibility(True, ACCOUNTANT)
    client.change_visibility(True, ADMIN)
    assert client.hidden is True


def test_a_client_has_one_integration_at_a_time():
    client = new_client()
    octopus = {"purchase_address": "in@octopus.example"}
    client.link_integration("octopus", octopus, False, set(), ADMIN)
    with pytest.raises(OneIntegrationAtATime):
        client.link_integration("winbooks", octopus, False, set(), ADMIN)
    client.unlink_integration(ADMIN)
    client.link_integration("none", {}, False, set(), ADMIN)
    assert client.integration["kind"] == "none"


def test_unlinking_without_an_integration_is_refused():
    with pytest.raises(NoIntegrationLinked):
        new_client().unlink_integration(ADMIN)


def test_api_and_ftp_integrations_need_the_firms_portal_configuration():
    client = new_client()
    with pytest.raises(PortalConfigurationMissing):
        client.link_integration("exact-online-api", {}, False, set(), ADMIN)
    with pytest.raises(PortalConfigurationMissing):
        client.link_integration("expert-m", {}, False, set(), ADMIN)
    client.link_integration("exact-online-api", {}, True, {"exact-online-api"}, ADMIN)
    assert client.integration == {
        "package": "exact-online-api", "kind": "api", "settings": {}, "ubl": True}


def test_an_email_integration_needs_a_valid_purchase_address():
    with pytest.raises(InvalidValue) as error:
        new_client().link_integration("clearfacts", {}, False, set(), ADMIN)
    assert error.value.field == "settings.purchase_address"


def test_peppol_sending_and_receiving_switch_separately():
    client = new_client()
    client.enable_peppol(True, False, ADMIN)
    assert (client.peppol_send, client.peppol_receive) == (True, False)
    client.enable_peppol(True, True, ADMIN)
    assert client.pending_events[-1].send is False  # only what changed is recorded
    client.disable_peppol(True, False, ADMIN)
    assert (client.peppol_send, client.peppol_receive) == (False, True)


def test_allowed_senders_are_normalised_and_bad_ones_named():
    client = new_client()
    client.change_allowed_senders(["AP@Supplier.example", "@other.example"], ADMIN)
    assert client.allowed_senders == ["ap@supplier.example", "other.example"]
    with pytest.raises(InvalidValue) as error:
        client.change_allowed_senders(["ok.example", "not a sender"], ADMIN)
    assert error.value.field == "senders[1]"


def test_a_plan_changes_only_for_an_active_client_and_to_a_known_plan(clock):
    client = invited(clock)
    with pytest.raises(NotInvited):
        client.change_plan("Business", ADMIN)
    client.activate("h1", clock())
    with pytest.raises(InvalidValue):
        client.change_plan("Gold", ADMIN)
    client.change_plan("Starter", ADMIN)
    assert client.plan == "Starter"


def test_only_an_admin_chooses_the_firm_contact_when_creating_a_client():
    with pytest.raises(PermissionDenied):
        Client.create(client_id=uuid4(), firm_id=uuid4(), by=ACCOUNTANT,
                      **client_fields(firm_contact_id=uuid4()))
    assert Client.create(client_id=uuid4(), firm_id=uuid4(), by=ACCOUNTANT,
                         **client_fields()).firm_contact_id is None
