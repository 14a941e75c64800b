"""Firm commands: registration, staff, teams, portal integrations."""

from __future__ import annotations

from uuid import UUID, uuid4

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.firm import Firm
from lucy_events.application.base import CommandsBase


class FirmCommands(CommandsBase):
    def register_firm(self, name: str, by: Actor, firm_id: UUID | None = None) -> UUID:
        firm = Firm.register(firm_id or uuid4(), name, by)
        self.save(firm)
        return firm.id

    def add_staff_member(
        self, firm_id: UUID, name: str, email: str, role: str, by: Actor
    ) -> UUID:
        staff_id = uuid4()
        self._change(
            lambda: self.firm(firm_id),
            lambda firm: firm.add_staff_member(staff_id, name, email, role, by),
        )
        return staff_id

    def remove_staff_member(self, firm_id: UUID, staff_id: UUID, by: Actor) -> None:
        self._change(lambda: self.firm(firm_id), lambda f: f.remove_staff_member(staff_id, by))

    def change_staff_role(self, firm_id: UUID, staff_id: UUID, role: str, by: Actor) -> None:
        self._change(lambda: self.firm(firm_id), lambda f: f.change_role(staff_id, role, by))

    def create_team(self, firm_id: UUID, name: str, by: Actor) -> UUID:
        team_id = uuid4()
        self._change(lambda: self.firm(firm_id), lambda f: f.create_team(team_id, name, by))
        return team_id

    def assign_staff_to_team(
        self, firm_id: UUID, staff_id: UUID, team_id: UUID, by: Actor
    ) -> None:
        self._change(
            lambda: self.firm(firm_id), lambda f: f.assign_to_team(staff_id, team_id, by)
        )

    def rename_team(self, firm_id: UUID, team_id: UUID, name: str, by: Actor) -> None:
        self._change(lambda: self.firm(firm_id), lambda f: f.rename_team(team_id, name, by))

    def set_staff_teams(
        self, firm_id: UUID, staff_id: UUID, team_ids: set[UUID], by: Actor
    ) -> None:
        self._change(lambda: self.firm(firm_id), lambda f: f.set_teams(staff_id, team_ids, by))

    def define_service(self, firm_id: UUID, name: str, by: Actor) -> UUID:
        service_id = uuid4()
        self._change(lambda: self.firm(firm_id),
                     lambda f: f.define_service(service_id, name, by))
        return service_id

    def choose_digest(self, firm_id: UUID, staff_id: UUID, frequency: str, language: str,
                      by: Actor) -> None:
        self._change(lambda: self.firm(firm_id),
                     lambda f: f.choose_digest(staff_id, frequency, language, by))

    def configure_portal_integration(
        self, firm_id: UUID, package: str, settings: dict[str, str], by: Actor
    ) -> None:
        self._change(
            lambda: self.firm(firm_id),
            lambda f: f.configure_portal_integration(package, settings, by),
        )

    def record_portal_connection(self, firm_id: UUID, package: str, by: Actor) -> None:
        self._change(lambda: self.firm(firm_id),
                     lambda f: f.record_portal_connection(package, by))

    def remove_portal_integration(self, firm_id: UUID, package: str, by: Actor) -> None:
        self._change(
            lambda: self.firm(firm_id), lambda f: f.remove_portal_integration(package, by)
        )
