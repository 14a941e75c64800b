"""The Firm aggregate's rules, without any store."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from lucy_events.aggregates.actors import Actor, Role
from lucy_events.aggregates.errors import InvalidValue, NotFound, PermissionDenied
from lucy_events.aggregates.firm import (
    DuplicateStaffEmail,
    DuplicateTeamName,
    Firm,
    LastAdminCannotBeRemoved,
    PortalConfigurationNotNeeded,
    StaffMemberNotFound,
)

SETUP = Actor.system("setup")


def firm_with_admin() -> tuple[Firm, Actor]:
    firm = Firm.register(uuid4(), "Dupont & Partners", SETUP)
    admin_id = uuid4()
    firm.add_staff_member(admin_id, "Sofie", "sofie@dupont.example", "admin", SETUP)
    return firm, firm.member(admin_id).actor


def test_staff_are_added_with_a_role_and_a_unique_email():
    firm, admin = firm_with_admin()
    accountant_id = uuid4()
    firm.add_staff_member(accountant_id, "Lotte", "LOTTE@dupont.example", "accountant", admin)
    assert firm.member(accountant_id).role is Role.ACCOUNTANT
    with pytest.raises(DuplicateStaffEmail):
        firm.add_staff_member(uuid4(), "Lotte 2", "lotte@dupont.example", "accountant", admin)
    with pytest.raises(InvalidValue) as error:
        firm.add_staff_member(uuid4(), "X", "x@dupont.example", "boss", admin)
    assert error.value.field == "role"


def test_an_accountant_cannot_manage_staff():
    firm, admin = firm_with_admin()
    accountant_id = uuid4()
    firm.add_staff_member(accountant_id, "Lotte", "lotte@dupont.example", "accountant", admin)
    with pytest.raises(PermissionDenied):
        firm.add_staff_member(uuid4(), "Eve", "eve@dupont.example", "admin",
                              firm.member(accountant_id).actor)


def test_the_last_admin_cannot_be_removed():
    firm, admin = firm_with_admin()
    with pytest.raises(LastAdminCannotBeRemoved):
        firm.remove_staff_member(UUID_of(admin), admin)


def test_a_removed_staff_member_is_gone_but_still_named_in_history():
    firm, admin = firm_with_admin()
    staff_id = uuid4()
    firm.add_staff_member(staff_id, "Pieter", "pieter@dupont.example", "accountant", admin)
    firm.remove_staff_member(staff_id, admin)
    with pytest.raises(StaffMemberNotFound):
        firm.member(staff_id)
    assert firm.staff_names[staff_id] == "Pieter"


def test_teams_have_unique_names_and_staff_join_them():
    firm, admin = firm_with_admin()
    team_id = uuid4()
    firm.create_team(team_id, "Team Gent", admin)
    with pytest.raises(DuplicateTeamName):
        firm.create_team(uuid4(), "team gent", admin)
    firm.assign_to_team(UUID_of(admin), team_id, admin)
    assert team_id in firm.member(UUID_of(admin)).team_ids


def test_only_api_and_ftp_integrations_have_a_portal_configuration_without_secrets():
    firm, admin = firm_with_admin()
    firm.configure_portal_integration("expert-m", {"host": "ftp.expertm.example"}, admin)
    assert firm.portal_integrations["expert-m"] == {"host": "ftp.expertm.example"}
    with pytest.raises(PortalConfigurationNotNeeded):
        firm.configure_portal_integration("clearfacts", {}, admin)
    with pytest.raises(InvalidValue) as error:
        firm.configure_portal_integration("expert-m", {"password": "hunter2"}, admin)
    assert error.value.field == "settings.password"


def UUID_of(actor: Actor):
    from uuid import UUID

    return UUID(actor.id)


def test_an_admin_changes_a_role_but_the_last_admin_stays_an_admin():
    from lucy_events.aggregates.firm import LastAdminCannotBeDemoted

    firm, admin = firm_with_admin()
    lotte = uuid4()
    firm.add_staff_member(lotte, "Lotte", "lotte@dupont.example", "accountant", admin)
    with pytest.raises(PermissionDenied):
        firm.change_role(lotte, "admin", firm.member(lotte).actor)
    firm.change_role(lotte, "admin", admin)
    assert firm.member(lotte).role is Role.ADMIN
    firm.change_role(UUID(admin.id), "accountant", admin)
    with pytest.raises(LastAdminCannotBeDemoted):
        firm.change_role(lotte, "accountant", firm.member(lotte).actor)
    with pytest.raises(InvalidValue) as error:
        firm.change_role(lotte, "boss", firm.member(lotte).actor)
    assert error.value.field == "role"


def test_an_admin_records_connecting_a_configured_package_and_removing_it_forgets_it():
    firm, admin = firm_with_admin()
    with pytest.raises(NotFound):
        firm.record_portal_connection("exact-online-nl-api", admin)
    firm.configure_portal_integration("exact-online-nl-api", {"credentials_ref": "r"}, admin)
    accountant_id = uuid4()
    firm.add_staff_member(accountant_id, "Lotte", "lotte@dupont.example", "accountant", admin)
    with pytest.raises(PermissionDenied):
        firm.record_portal_connection("exact-online-nl-api", firm.member(accountant_id).actor)
    firm.record_portal_connection("exact-online-nl-api", admin)
    assert firm.portal_connections == {"exact-online-nl-api": str(admin)}
    firm.remove_portal_integration("exact-online-nl-api", admin)
    assert firm.portal_connections == {}
