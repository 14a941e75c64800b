"""A client of the firm (a company): onboarding, Peppol, its one integration, inbox rules."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client_rules import (
    INVITATION_VALIDITY,
    PLANS,
    TRIAL_LENGTH,
    TRIAL_PLAN,
    AlreadyActive,
    ContactPersonLocked,
    InvitationExpired,
    InvitationInvalid,
    InvitationSuperseded,
    InvitationToRenew,
    NoIntegrationLinked,
    NotInvited,
    OneIntegrationAtATime,
    PeppolRegistrationToConfirm,
    PortalConfigurationMissing,
    allowed_senders,
    require_admin,
)
from lucy_events.aggregates.client_user_rules import check_acts_for
from lucy_events.aggregates.companies import Address, ContactPerson, company_numbers, required_text
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.inbox import (
    QuarantinedMail,
    QuarantinedMailNotFound,
    inbox_local_part,
)
from lucy_events.aggregates.packages import accounting_package, integration_settings


class ClientStatus(StrEnum):
    CREATED = "Created"
    INVITED = "Invited"
    ACTIVE = "Active"


class Client(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID

    class ClientCreated(Event, Aggregate.Created):
        name: str
        country: str
        enterprise_number: str | None
        vat_number: str | None
        legal_form: str
        address: dict[str, str]
        contact_person: dict[str, str]
        team_id: UUID | None
        firm_contact_id: UUID | None

    class ContactPersonReplaced(Event):
        contact_person: dict[str, str]

        def apply(self, client: Client) -> None:
            client.contact_person = dict(self.contact_person)

    class FirmContactChanged(Event):
        firm_contact_id: UUID | None

        def apply(self, client: Client) -> None:
            client.firm_contact_id = self.firm_contact_id

    class TeamAssigned(Event):
        team_id: UUID | None

        def apply(self, client: Client) -> None:
            client.team_id = self.team_id

    class Invited(Event):
        token_hash: str
        expires_at: datetime
        email: str

        def apply(self, client: Client) -> None:
            client._new_invitation(self.token_hash, self.expires_at)
            client.invitation_email = self.email

    class InvitationResent(Invited):
        pass

    class Activated(Event):
        trial_ends_on: date
        plan: str

        def apply(self, client: Client) -> None:
            client.status = ClientStatus.ACTIVE
            client.activated_at = self.timestamp
            client.trial_ends_on = self.trial_ends_on
            client.plan = self.plan
            client.used_token_hash = client.invitation_token_hash
            client.invitation_token_hash = None

    class PlanChanged(Event):
        plan: str

        def apply(self, client: Client) -> None:
            client.plan = self.plan

    class PeppolEnabled(Event):
        """v1 had one switch for both directions; v2 switches them separately; v3 keeps
        what the person enabling confirmed about the company's Peppol registration (the
        warning they saw: registered with another provider, or the lookup failed)."""

        class_version = 3
        send: bool
        receive: bool
        confirmation: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["send"] = True
            state["receive"] = True

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["confirmation"] = ""

        def apply(self, client: Client) -> None:
            client.peppol_send = client.peppol_send or self.send
            client.peppol_receive = client.peppol_receive or self.receive

    class PeppolDisabled(Event):
        send: bool
        receive: bool

        def apply(self, client: Client) -> None:
            client.peppol_send = client.peppol_send and not self.send
            client.peppol_receive = client.peppol_receive and not self.receive

    class IntegrationLinked(Event):
        package: str
        kind: str
        settings: dict[str, str]
        ubl: bool

        def apply(self, client: Client) -> None:
            client.integration = {
                "package": self.package, "kind": self.kind,
                "settings": dict(self.settings), "ubl": self.ubl,
            }

    class ServiceAssigned(Event):
        service_id: UUID
        owner_id: UUID
        participant_ids: list[str]

        def apply(self, client: Client) -> None:
            client.services[self.service_id] = {
                "owner": self.owner_id, "participants": [UUID(p) for p in self.participant_ids]}

    class ServiceEnded(Event):
        service_id: UUID

        def apply(self, client: Client) -> None:
            client.services.pop(self.service_id, None)

    class IntegrationSettingsChanged(Event):
        package: str
        settings: dict[str, str]
        ubl: bool

        def apply(self, client: Client) -> None:
            assert client.integration is not None
            client.integration = {**client.integration, "settings": dict(self.settings),
                                  "ubl": self.ubl}

    class IntegrationUnlinked(Event):
        package: str

        def apply(self, client: Client) -> None:
            client.integration = None

    class AllowedSendersChanged(Event):
        senders: list[str]

        def apply(self, client: Client) -> None:
            client.allowed_senders = list(self.senders)

    class VisibilityChanged(Event):
        hidden: bool

        def apply(self, client: Client) -> None:
            client.hidden = self.hidden

    class AutoSendChanged(Event):
        auto_send: bool

        def apply(self, client: Client) -> None:
            client.auto_send = self.auto_send

    class MailQuarantined(Event):
        """A mail to the client's inbox address kept out of its inbox (reason says why);
        the raw message is kept as a blob until an admin releases or discards it."""

        mail_id: UUID
        sender: str
        subject: str
        message_id: str
        reason: str
        raw_blob_ref: str
        raw_size: int
        attachments: list[str]

        def apply(self, client: Client) -> None:
            client.quarantine[self.mail_id] = QuarantinedMail(
                self.mail_id, self.timestamp, self.sender, self.subject, self.message_id,
                self.reason, self.raw_blob_ref, self.raw_size, tuple(self.attachments),
            )

    class QuarantinedMailReleased(Event):
        """An admin let a quarantined mail in: its attachments became these documents."""

        mail_id: UUID
        document_ids: list[str]

        def apply(self, client: Client) -> None:
            client.quarantine.pop(self.mail_id, None)

    class QuarantinedMailDiscarded(Event):
        mail_id: UUID

        def apply(self, client: Client) -> None:
            client.quarantine.pop(self.mail_id, None)

    @event(ClientCreated)
    def __init__(
        self, *, actor: str, firm_id: UUID, name: str, country: str,
        enterprise_number: str | None, vat_number: str | None, legal_form: str,
        address: dict[str, str], contact_person: dict[str, str],
        team_id: UUID | None, firm_contact_id: UUID | None,
    ) -> None:
        self.firm_id = firm_id
        self.name = name
        self.country = country
        self.enterprise_number = enterprise_number
        self.vat_number = vat_number
        self.legal_form = legal_form
        self.address = dict(address)
        self.contact_person = dict(contact_person)
        self.team_id = team_id
        self.firm_contact_id = firm_contact_id
        self.status = ClientStatus.CREATED
        self.invitation_token_hash: str | None = None
        self.invitation_expires_at: datetime | None = None
        #: Where the latest invitation went (the contact person at that moment).
        self.invitation_email: str | None = None
        #: The link that activated the client (so using it again says "already used").
        self.used_token_hash: str | None = None
        self.superseded_token_hashes: set[str] = set()
        self.activated_at: datetime | None = None
        self.trial_ends_on: date | None = None
        self.plan: str | None = None
        self.peppol_send = False
        self.peppol_receive = False
        self.integration: dict[str, Any] | None = None
        self.allowed_senders: list[str] = []
        self.hidden = False
        self.auto_send = True
        self.inbox_local_part = inbox_local_part(name, self.id)
        self.quarantine: dict[UUID, QuarantinedMail] = {}
        #: The firm's services for this client: service id -> owner and participants.
        self.services: dict[UUID, dict[str, Any]] = {}

    @classmethod
    def create(
        cls, *, client_id: UUID, firm_id: UUID, name: str, country: str,
        enterprise_number: str | None = None, vat_number: str | None = None,
        legal_form: str = "", address: dict[str, str], contact_person: dict[str, str],
        team_id: UUID | None = None, firm_contact_id: UUID | None = None, by: Actor,
    ) -> Client:
        if firm_contact_id is not None:
            require_admin(by, "choose the firm contact person")
        numbers = company_numbers(country, enterprise_number, vat_number)
        return cls._create(
            cls.ClientCreated, id=client_id, actor=str(by), firm_id=firm_id,
            name=required_text(name, "name"), country=numbers.country,
            enterprise_number=numbers.enterprise_number, vat_number=numbers.vat_number,
            legal_form=(legal_form or "").strip(),
            address=Address.parse(address).as_dict(),
            contact_person=ContactPerson.parse(contact_person).as_dict(),
            team_id=team_id, firm_contact_id=firm_contact_id,
        )

    def _record(self, event_class: type[Client.Event], by: Actor, **fields: Any) -> None:
        self.trigger_event(event_class, actor=str(by), firm_id=self.firm_id, **fields)

    def _new_invitation(self, token_hash: str, expires_at: datetime) -> None:
        if self.invitation_token_hash:
            self.superseded_token_hashes.add(self.invitation_token_hash)
        self.status = ClientStatus.INVITED
        self.invitation_token_hash = token_hash
        self.invitation_expires_at = expires_at

    def replace_contact_person(
        self, contact_person: dict[str, str], by: Actor, *,
        token_hash: str | None = None, now: datetime | None = None,
    ) -> bool:
        """Replace the contact person while they have not activated. An invited client's
        invitation then goes to the new person with a new link (``token_hash``), and the
        old person's link stops working; returns whether that invitation was made."""
        if self.status is ClientStatus.ACTIVE:
            raise ContactPersonLocked(
                "the contact person has activated the client and can no longer be replaced"
            )
        contact = ContactPerson.parse(contact_person).as_dict()
        if contact == self.contact_person:
            return False
        reinvite = self.status is ClientStatus.INVITED and (
            contact["email"] != self.invitation_email)
        if reinvite and (token_hash is None or now is None):
            raise InvitationToRenew(
                "the client is invited: the new contact person needs a new invitation link")
        self._record(self.ContactPersonReplaced, by, contact_person=contact)
        if reinvite:
            assert token_hash is not None and now is not None
            self._record(
                self.InvitationResent, by, token_hash=token_hash,
                expires_at=now + INVITATION_VALIDITY, email=contact["email"],
            )
        return reinvite

    def change_firm_contact(self, firm_contact_id: UUID | None, by: Actor) -> None:
        require_admin(by, "change the firm contact person")
        if firm_contact_id != self.firm_contact_id:
            self._record(self.FirmContactChanged, by, firm_contact_id=firm_contact_id)

    def assign_team(self, team_id: UUID | None, by: Actor) -> None:
        if team_id != self.team_id:
            self._record(self.TeamAssigned, by, team_id=team_id)

    def invite(self, token_hash: str, now: datetime, by: Actor) -> None:
        if self.status is ClientStatus.ACTIVE:
            raise AlreadyActive("the client is already active; there is nobody to invite")
        self._record(
            self.Invited, by, token_hash=token_hash, expires_at=now + INVITATION_VALIDITY,
            email=self.contact_person["email"],
        )

    def resend_invitation(self, token_hash: str, now: datetime, by: Actor) -> None:
        if self.status is not ClientStatus.INVITED:
            raise NotInvited(
                f"only an invited client's invitation can be resent ({self.status.value})"
            )
        self._record(
            self.InvitationResent, by, token_hash=token_hash,
            expires_at=now + INVITATION_VALIDITY, email=self.contact_person["email"],
        )

    def check_invitation(self, token_hash: str, now: datetime) -> None:
        """Raise what is wrong with the link ``token_hash`` at ``now``, if anything."""
        if self.status is ClientStatus.ACTIVE:
            raise AlreadyActive("the client has already accepted its invitation")
        if token_hash in self.superseded_token_hashes:
            raise InvitationSuperseded("a newer invitation was sent; use the latest link")
        if self.status is not ClientStatus.INVITED or token_hash != self.invitation_token_hash:
            raise InvitationInvalid("this invitation link is not valid")
        assert self.invitation_expires_at is not None
        if now >= self.invitation_expires_at:
            raise InvitationExpired("the invitation expired; ask the firm to resend it")

    def activate(self, token_hash: str, now: datetime) -> None:
        self.check_invitation(token_hash, now)
        self._record(
            self.Activated, Actor.client(self.id),
            trial_ends_on=(now + TRIAL_LENGTH).date(), plan=TRIAL_PLAN,
        )

    def change_plan(self, plan: str, by: Actor) -> None:
        if plan not in PLANS:
            raise InvalidValue("plan", f"must be one of {', '.join(PLANS)}")
        if self.status is not ClientStatus.ACTIVE:
            raise NotInvited("only an active client has a subscription plan")
        if plan != self.plan:
            self._record(self.PlanChanged, by, plan=plan)

    def enable_peppol(self, send: bool, receive: bool, by: Actor, *,
                      registration_warning: str = "", confirmed: bool = False) -> None:
        """``registration_warning``: what the Peppol lookup found against receiving here
        (registered with another provider, or the directory could not be asked); then
        receiving needs ``confirmed``, and the event keeps what was confirmed."""
        if not (send or receive):
            raise InvalidValue("send", "enable sending, receiving or both")
        send, receive = send and not self.peppol_send, receive and not self.peppol_receive
        warning = registration_warning if receive else ""
        if warning and not confirmed:
            raise PeppolRegistrationToConfirm(warning)
        if send or receive:
            self._record(self.PeppolEnabled, by, send=send, receive=receive,
                         confirmation=warning)

    def disable_peppol(self, send: bool, receive: bool, by: Actor) -> None:
        send, receive = send and self.peppol_send, receive and self.peppol_receive
        if send or receive:
            self._record(self.PeppolDisabled, by, send=send, receive=receive)

    def set_peppol(self, send: bool, receive: bool, by: Actor, *,
                   registration_warning: str = "", confirmed: bool = False) -> None:
        """Both directions to the state given, in one command: whatever is switched on
        and off is recorded together, so two callers cannot interleave into a state
        neither asked for. ``registration_warning`` and ``confirmed`` as for
        ``enable_peppol``."""
        if send or receive:
            self.enable_peppol(send, receive, by, registration_warning=registration_warning,
                               confirmed=confirmed)
        if not (send and receive):
            self.disable_peppol(not send, not receive, by)

    def link_integration(
        self, package_code: str, settings: dict[str, str], ubl: bool,
        configured_packages: set[str], by: Actor,
    ) -> None:
        package = accounting_package(package_code)
        if self.integration is not None:
            raise OneIntegrationAtATime(
                f"{self.integration['package']} is linked; unlink it before linking another"
            )
        if package.needs_portal_configuration and package.code not in configured_packages:
            raise PortalConfigurationMissing(
                f"an admin must first configure {package.name} for the firm"
            )
        self._record(
            self.IntegrationLinked, by, package=package.code, kind=package.kind.value,
            settings=integration_settings(package, settings), ubl=bool(ubl),
        )

    @property
    def participants(self) -> set[UUID]:
        """The staff on any of the client's services (owners included): who hears about
        the client."""
        return {who for s in self.services.values()
                for who in (s["owner"], *s["participants"])}

    def assign_service(self, service_id: UUID, owner_id: UUID, participant_ids: list[UUID],
                       firm_services: set[UUID], firm_staff: set[UUID], by: Actor) -> None:
        """The service for this client with its owner and participants (replacing them
        when the service was assigned before). Admins only."""
        require_admin(by, "assign the firm's services")
        if service_id not in firm_services:
            raise InvalidValue("service_id", "is not one of the firm's services")
        for field_name, who in (("owner_id", [owner_id]), ("participant_ids", participant_ids)):
            if any(w not in firm_staff for w in who):
                raise InvalidValue(field_name, "is not a staff member of the firm")
        others = sorted({str(p) for p in participant_ids} - {str(owner_id)})
        current = self.services.get(service_id)
        if current == {"owner": owner_id, "participants": [UUID(p) for p in others]}:
            return
        self._record(self.ServiceAssigned, by, service_id=service_id, owner_id=owner_id,
                     participant_ids=others)

    def end_service(self, service_id: UUID, by: Actor) -> None:
        require_admin(by, "end a service")
        if service_id not in self.services:
            raise InvalidValue("service_id", "is not a service of this client")
        self._record(self.ServiceEnded, by, service_id=service_id)

    def change_integration_settings(self, settings: dict[str, str], ubl: bool, by: Actor
                                    ) -> None:
        """The linked package's client settings, validated as when linking; no unlink."""
        if self.integration is None:
            raise NoIntegrationLinked("the client has no integration to change")
        package = accounting_package(self.integration["package"])
        clean = integration_settings(package, settings)
        if clean != self.integration["settings"] or bool(ubl) != self.integration["ubl"]:
            self._record(self.IntegrationSettingsChanged, by, package=package.code,
                         settings=clean, ubl=bool(ubl))

    def unlink_integration(self, by: Actor) -> None:
        if self.integration is None:
            raise NoIntegrationLinked("the client has no integration to unlink")
        self._record(self.IntegrationUnlinked, by, package=self.integration["package"])

    def change_allowed_senders(self, senders: list[str], by: Actor) -> None:
        clean = allowed_senders(senders)
        if clean != self.allowed_senders:
            self._record(self.AllowedSendersChanged, by, senders=clean)

    def change_visibility(self, hidden: bool, by: Actor) -> None:
        require_admin(by, "hide or show a client")
        if bool(hidden) != self.hidden:
            self._record(self.VisibilityChanged, by, hidden=bool(hidden))

    def change_auto_send(self, auto_send: bool, by: Actor) -> None:
        check_acts_for(by, self.id)  # a client user: their own company only
        if bool(auto_send) != self.auto_send:
            self._record(self.AutoSendChanged, by, auto_send=bool(auto_send))

    def quarantine_mail(
        self, *, mail_id: UUID, sender: str, subject: str, message_id: str, reason: str,
        raw_blob_ref: str, raw_size: int, attachments: list[str], by: Actor,
    ) -> None:
        self._record(
            self.MailQuarantined, by, mail_id=mail_id, sender=sender[:320],
            subject=subject[:998], message_id=message_id[:998],
            reason=required_text(reason, "reason", 500), raw_blob_ref=raw_blob_ref,
            raw_size=int(raw_size), attachments=list(attachments),
        )

    def quarantined(self, mail_id: UUID) -> QuarantinedMail:
        try:
            return self.quarantine[mail_id]
        except KeyError:
            raise QuarantinedMailNotFound(f"no quarantined mail {mail_id}") from None

    def release_mail(self, mail_id: UUID, document_ids: list[UUID], by: Actor) -> None:
        require_admin(by, "release quarantined mail")
        self.quarantined(mail_id)
        self._record(self.QuarantinedMailReleased, by, mail_id=mail_id,
                     document_ids=[str(d) for d in document_ids])

    def discard_mail(self, mail_id: UUID, by: Actor) -> None:
        require_admin(by, "discard quarantined mail")
        self.quarantined(mail_id)
        self._record(self.QuarantinedMailDiscarded, by, mail_id=mail_id)
