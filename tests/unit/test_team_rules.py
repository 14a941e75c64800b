"""Teams: renamed under a unique name, staff moved between them (leave one, join the
other), only by admins; without any store."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.aggregates.firm import DuplicateTeamName, TeamNotFound
from tests.unit.test_firm_rules import firm_with_admin


def test_a_team_is_renamed_but_never_to_another_teams_name():
    firm, admin = firm_with_admin()
    payroll, vat = uuid4(), uuid4()
    firm.create_team(payroll, "Payroll", admin)
    firm.create_team(vat, "VAT", admin)
    firm.rename_team(payroll, "Payroll & HR", admin)
    assert firm.teams[payroll] == "Payroll & HR"
    with pytest.raises(DuplicateTeamName):
        firm.rename_team(payroll, "vat", admin)
    firm.rename_team(vat, "VAT", admin)  # its own name: nothing happens
    assert [type(e).__name__ for e in firm.collect_events()][-1] == "TeamRenamed"
    with pytest.raises(TeamNotFound):
        firm.rename_team(uuid4(), "Audit", admin)


def test_moving_someone_leaves_the_old_team_and_joins_the_new_one():
    firm, admin = firm_with_admin()
    payroll, vat, lotte = uuid4(), uuid4(), uuid4()
    firm.create_team(payroll, "Payroll", admin)
    firm.create_team(vat, "VAT", admin)
    firm.add_staff_member(lotte, "Lotte", "lotte@dupont.example", "accountant", admin)
    firm.set_teams(lotte, {payroll}, admin)
    firm.collect_events()
    firm.set_teams(lotte, {vat}, admin)
    assert firm.member(lotte).team_ids == {vat}
    assert [type(e).__name__ for e in firm.collect_events()] == [
        "StaffRemovedFromTeam", "StaffAssignedToTeam"]
    with pytest.raises(TeamNotFound):
        firm.set_teams(lotte, {uuid4()}, admin)
    with pytest.raises(PermissionDenied):
        firm.set_teams(lotte, set(), firm.member(lotte).actor)
