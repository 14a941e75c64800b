"""Client commands: onboarding, contacts, Peppol, the integration, inbox settings."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import (
    DuplicateClient,
    InvitationInvalid,
    client_id_for,
    client_ids_for,
)
from lucy_events.aggregates.client_user_rules import check_staff_or_user_of
from lucy_events.aggregates.companies import CompanyNumbers, company_numbers
from lucy_events.application.base import CommandsBase, require_staff


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation_token(client_id: UUID) -> str:
    """``<client id>.<secret>``: the id finds the client, only the hash is stored."""
    return f"{client_id.hex}.{secrets.token_urlsafe(24)}"


#: Finds a firm's client by the company's numbers in a read model (``bootstrap`` wires
#: the dashboard's); it sees clients whose ids predate ``client_id_for`` and a Dutch
#: company's second number, which the ids alone cannot.
ClientLookup = Callable[[UUID, CompanyNumbers], UUID | None]


class ClientCommands(CommandsBase):
    client_lookup: ClientLookup | None = None

    def create_client(self, firm_id: UUID, by: Actor, **fields: Any) -> UUID:
        """A new client; one with the enterprise, VAT or KvK number of one the firm
        already has is refused (``DuplicateClient`` names it), also when two creations
        race: the client's id follows from the number, so the store keeps only one."""
        require_staff(by)
        firm = self.firm(firm_id)
        if fields.get("team_id") is not None:
            firm.require_team(fields["team_id"])
        if fields.get("firm_contact_id") is not None:
            firm.member(fields["firm_contact_id"])
        numbers = company_numbers(fields.get("country", ""), fields.get("enterprise_number"),
                                  fields.get("vat_number"))

        def create() -> UUID:
            self._refuse_duplicate(firm_id, numbers)
            client = Client.create(client_id=client_id_for(firm_id, numbers),
                                   firm_id=firm_id, by=by, **fields)
            self.save(client)
            return client.id

        return self._run(create)

    def _refuse_duplicate(self, firm_id: UUID, numbers: CompanyNumbers) -> None:
        found = self.client_with_numbers(firm_id, numbers)
        if found is not None:
            raise DuplicateClient(*found)

    def client_with_numbers(self, firm_id: UUID, numbers: CompanyNumbers
                            ) -> tuple[str, UUID] | None:
        """(field, id) of the firm's client with one of the company's numbers, if any."""
        for field, client_id in client_ids_for(firm_id, numbers):
            if self.recorder.select_events(client_id, limit=1):
                return field, client_id
        if self.client_lookup is not None:
            existing = self.client_lookup(firm_id, numbers)
            if existing is not None:
                return numbers.keys[0][0], existing
        return None

    def _change_client(self, firm_id: UUID, client_id: UUID, by: Actor, act: Any) -> Client:
        require_staff(by)
        return self._change(lambda: self.client(firm_id, client_id, by), act)

    def replace_contact_person(
        self, firm_id: UUID, client_id: UUID, contact_person: dict[str, str], by: Actor
    ) -> str | None:
        """Replace the contact person; an invited client's invitation goes to the new
        person with a new link (returned, like ``invite_client``'s), the old one dies."""
        token = new_invitation_token(client_id)
        reinvited: list[bool] = []
        self._change_client(firm_id, client_id, by, lambda c: reinvited.append(
            c.replace_contact_person(contact_person, by, token_hash=token_hash(token),
                                     now=self.clock())))
        return token if reinvited[-1] else None

    def change_firm_contact(
        self, firm_id: UUID, client_id: UUID, staff_id: UUID | None, by: Actor
    ) -> None:
        if staff_id is not None:
            self.firm(firm_id).member(staff_id)
        self._change_client(firm_id, client_id, by, lambda c: c.change_firm_contact(staff_id, by))

    def assign_team(
        self, firm_id: UUID, client_id: UUID, team_id: UUID | None, by: Actor
    ) -> None:
        if team_id is not None:
            self.firm(firm_id).require_team(team_id)
        self._change_client(firm_id, client_id, by, lambda c: c.assign_team(team_id, by))

    def invite_client(self, firm_id: UUID, client_id: UUID, by: Actor) -> str:
        """Invite the client's contact person; returns the single-use token for the link."""
        token = new_invitation_token(client_id)
        self._change_client(
            firm_id, client_id, by, lambda c: c.invite(token_hash(token), self.clock(), by)
        )
        return token

    def resend_invitation(self, firm_id: UUID, client_id: UUID, by: Actor) -> str:
        token = new_invitation_token(client_id)
        self._change_client(
            firm_id, client_id, by,
            lambda c: c.resend_invitation(token_hash(token), self.clock(), by),
        )
        return token

    def accept_invitation(self, token: str) -> UUID:
        """The client's contact person accepts; the 30-day trial starts."""
        try:
            client_id = UUID(hex=token.split(".", 1)[0])
        except ValueError:
            raise InvitationInvalid("this invitation link is not valid") from None

        self._change(
            lambda: self._load(Client, client_id, InvitationInvalid),
            lambda c: c.activate(token_hash(token), self.clock()),
        )
        return client_id

    def change_plan(self, firm_id: UUID, client_id: UUID, plan: str, by: Actor) -> None:
        self._change_client(firm_id, client_id, by, lambda c: c.change_plan(plan, by))

    def enable_peppol(
        self, firm_id: UUID, client_id: UUID, send: bool, receive: bool, by: Actor,
        registration_warning: str = "", confirmed: bool = False,
    ) -> None:
        """``registration_warning``: what the caller's Peppol lookup found (see
        ``peppol.lookup.registration_warning``); receiving then needs ``confirmed``."""
        self._change_client(
            firm_id, client_id, by, lambda c: c.enable_peppol(
                send, receive, by, registration_warning=registration_warning,
                confirmed=confirmed))

    def disable_peppol(
        self, firm_id: UUID, client_id: UUID, send: bool, receive: bool, by: Actor
    ) -> None:
        self._change_client(
            firm_id, client_id, by, lambda c: c.disable_peppol(send, receive, by)
        )

    def set_peppol(
        self, firm_id: UUID, client_id: UUID, send: bool, receive: bool, by: Actor,
        registration_warning: str = "", confirmed: bool = False,
    ) -> None:
        """Sending and receiving to the state given: one load, one save. What the Peppol
        lookup warned about receiving (another provider, or no answer) needs
        ``confirmed``."""
        self._change_client(
            firm_id, client_id, by,
            lambda c: c.set_peppol(send, receive, by, registration_warning=registration_warning,
                                   confirmed=confirmed),
        )

    def link_integration(
        self, firm_id: UUID, client_id: UUID, package: str, by: Actor,
        settings: dict[str, str] | None = None, ubl: bool = False,
    ) -> None:
        configured = set(self.firm(firm_id).portal_integrations)
        self._change_client(
            firm_id, client_id, by,
            lambda c: c.link_integration(package, settings or {}, ubl, configured, by),
        )

    def assign_service(
        self, firm_id: UUID, client_id: UUID, service_id: UUID, owner_id: UUID,
        participant_ids: list[UUID], by: Actor,
    ) -> None:
        firm = self.firm(firm_id)
        self._change_client(firm_id, client_id, by, lambda c: c.assign_service(
            service_id, owner_id, participant_ids, set(firm.services), set(firm.staff), by))

    def end_service(self, firm_id: UUID, client_id: UUID, service_id: UUID, by: Actor
                    ) -> None:
        self._change_client(firm_id, client_id, by, lambda c: c.end_service(service_id, by))

    def change_integration_settings(
        self, firm_id: UUID, client_id: UUID, settings: dict[str, str], ubl: bool, by: Actor
    ) -> None:
        self._change_client(
            firm_id, client_id, by, lambda c: c.change_integration_settings(settings, ubl, by))

    def unlink_integration(self, firm_id: UUID, client_id: UUID, by: Actor) -> None:
        self._change_client(firm_id, client_id, by, lambda c: c.unlink_integration(by))

    def change_allowed_senders(
        self, firm_id: UUID, client_id: UUID, senders: list[str], by: Actor
    ) -> None:
        self._change_client(
            firm_id, client_id, by, lambda c: c.change_allowed_senders(senders, by)
        )

    def change_visibility(
        self, firm_id: UUID, client_id: UUID, hidden: bool, by: Actor
    ) -> None:
        self._change_client(firm_id, client_id, by, lambda c: c.change_visibility(hidden, by))

    def change_auto_send(
        self, firm_id: UUID, client_id: UUID, auto_send: bool, by: Actor
    ) -> None:
        """By the firm's staff, or by one of the company's own users (client portal)."""
        check_staff_or_user_of(by, client_id)
        self._change(lambda: self.client(firm_id, client_id, by),
                     lambda c: c.change_auto_send(auto_send, by))
