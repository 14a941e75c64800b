"""The multisender's commands: the client's destinations (added, confirmed from the
mailed link, removed) and sending documents to them (one or several at once, any
status: Sent ones included), then asking a failed sending to go again.

The confirmation e-mail is sent here, in the edge of the command that draws the link:
the event keeps only the token's hash, so nothing that reads the events could rebuild
the link (as for invitations, ``notifications.invitations``). The documents themselves
are mailed by the delivery worker (``multisender.delivery``), never by a request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.document_rules import ContentDisposed, DocumentNotFound
from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.aggregates.multisender import Multisender
from lucy_events.aggregates.multisender_rules import (
    ConfirmationLinkInvalid,
    Destination,
    DestinationNotFound,
    Sending,
    SendingNotFound,
    check_client_side,
)
from lucy_events.aggregates.multisends import Multisends
from lucy_events.application import LucyApplication, token_hash
from lucy_events.application.clients import new_invitation_token
from lucy_events.multisender.mails import confirmation_mail
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer
from lucy_events.notifications.sending import Sent, send_once

#: Who confirmed a destination: whoever opened the link mailed to it.
LINK = Actor.system("confirmation-link")
LinkFor = Callable[[str], str]


@dataclass(frozen=True)
class NewLink:
    """A destination with a fresh confirmation link, and what its e-mail did."""

    destination: Destination
    mail: Sent


class MultisenderCommands:
    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail,
                 link_for: LinkFor) -> None:
        self.app, self.mailer, self.ledger, self.link_for = app, mailer, ledger, link_for

    # -- reading (the client, and the firm's staff who may see the client) ----------
    def _own(self, firm_id: UUID, client_id: UUID, by: Actor) -> None:
        """The client exists for ``by``; a client acts only on its own company."""
        if (by.kind == "client" and by.id != str(client_id)) or (
                by.kind == "client_user" and by.client_id != client_id):
            raise ClientNotFound(f"no client {client_id}")
        self.app.client(firm_id, client_id, by)

    def _multisender(self, client_id: UUID) -> Multisender | None:
        try:
            found: Any = self.app.repository.get(Multisender.id_for(client_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(found, Multisender)
        return found

    def _multisends(self, document_id: UUID) -> Multisends | None:
        try:
            found: Any = self.app.repository.get(Multisends.id_for(document_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(found, Multisends)
        return found

    def destinations(self, firm_id: UUID, client_id: UUID, by: Actor) -> list[Destination]:
        """The client's destinations, oldest first, confirmed or not."""
        self._own(firm_id, client_id, by)
        multisender = self._multisender(client_id)
        return sorted(multisender.destinations.values() if multisender else [],
                      key=lambda d: d.added_at)

    def sendings(self, firm_id: UUID, client_id: UUID, document_id: UUID, by: Actor
                 ) -> list[Sending]:
        """What the client sent of the document through its multisender, newest first."""
        self._document(firm_id, client_id, document_id, by)
        multisends = self._multisends(document_id)
        return sorted(multisends.sendings.values() if multisends else [],
                      key=lambda s: s.requested_at, reverse=True)

    def _document(self, firm_id: UUID, client_id: UUID, document_id: UUID, by: Actor
                  ) -> None:
        self._own(firm_id, client_id, by)
        document = self.app.document(firm_id, document_id, by)
        if document.client_id != client_id:
            raise DocumentNotFound(f"no document {document_id}")
        if document.content_disposed:
            raise ContentDisposed("the document's files were removed after the "
                                  "retention period")

    # -- destinations ---------------------------------------------------------------
    def add_destination(self, firm_id: UUID, client_id: UUID, address: str,
                        label: str | None, by: Actor) -> NewLink:
        check_client_side(by)
        self._own(firm_id, client_id, by)
        token = new_invitation_token(client_id)
        destination_id = uuid4()

        def command() -> Destination:
            multisender = self._multisender(client_id) or Multisender.open(
                firm_id=firm_id, client_id=client_id, by=by)
            added = multisender.add(destination_id=destination_id, address=address,
                                    label=label, token_hash=token_hash(token),
                                    now=self.app.clock(), by=by)
            self.app.save(multisender)
            return added

        destination = self.app._run(command)
        return NewLink(destination, self._mail(client_id, destination, token))

    def resend_confirmation(self, firm_id: UUID, client_id: UUID, destination_id: UUID,
                            by: Actor) -> NewLink:
        check_client_side(by)
        self._own(firm_id, client_id, by)
        token = new_invitation_token(client_id)

        def command() -> Destination:
            multisender = self._existing(client_id, destination_id)
            destination = multisender.resend_confirmation(
                destination_id, token_hash(token), self.app.clock(), by)
            self.app.save(multisender)
            return destination

        destination = self.app._run(command)
        return NewLink(destination, self._mail(client_id, destination, token))

    def _existing(self, client_id: UUID, destination_id: UUID) -> Multisender:
        multisender = self._multisender(client_id)
        if multisender is None:
            raise DestinationNotFound(f"no destination {destination_id}")
        return multisender

    def _mail(self, client_id: UUID, destination: Destination, token: str) -> Sent:
        client = self.app.client_for_operator(client_id)
        key = f"destination:{token_hash(token)}"
        message = confirmation_mail(client, destination, key, self.link_for(token),
                                    self.mailer.from_address)
        return send_once(self.mailer, self.ledger, key, message)

    def confirm_destination(self, token: str) -> tuple[UUID, Destination]:
        """Whoever opened the link confirms the address; returns (client id, it)."""
        try:
            client_id = UUID(hex=token.split(".", 1)[0])
        except ValueError:
            raise ConfirmationLinkInvalid("this confirmation link is not known") from None

        def command() -> Destination:
            multisender = self._multisender(client_id)
            if multisender is None:
                raise ConfirmationLinkInvalid("this confirmation link is not known")
            destination = multisender.confirm(token_hash(token), self.app.clock(), LINK)
            self.app.save(multisender)
            return destination

        return client_id, self.app._run(command)

    def destination_of_link(self, token: str) -> tuple[str, Destination]:
        """The client's name and the destination a link would confirm (for the page
        that asks before confirming), or the error saying why it cannot."""
        try:
            client_id = UUID(hex=token.split(".", 1)[0])
        except ValueError:
            raise ConfirmationLinkInvalid("this confirmation link is not known") from None
        multisender = self._multisender(client_id)
        if multisender is None:
            raise ConfirmationLinkInvalid("this confirmation link is not known")
        destination = multisender.destination_of_link(token_hash(token), self.app.clock())
        return self.app.client_for_operator(client_id).name, destination

    def remove_destination(self, firm_id: UUID, client_id: UUID, destination_id: UUID,
                           by: Actor) -> Destination:
        check_client_side(by)
        self._own(firm_id, client_id, by)

        def command() -> Destination:
            multisender = self._existing(client_id, destination_id)
            removed = multisender.remove(destination_id, by)
            self.app.save(multisender)
            return removed

        return self.app._run(command)

    # -- sending ----------------------------------------------------------------------
    def send(self, firm_id: UUID, client_id: UUID, document_ids: Sequence[UUID],
             destination_id: UUID, by: Actor) -> dict[UUID, Sending | DomainError]:
        """Send each document (any status) to the confirmed destination; each that can
        be sent is (recorded together, in one transaction), the others say why not."""
        check_client_side(by)
        self._own(firm_id, client_id, by)
        if not document_ids:
            raise InvalidValue("document_ids", "name at least one document")
        destination = self._existing(client_id, destination_id).usable(destination_id)

        def command() -> dict[UUID, Sending | DomainError]:
            outcome: dict[UUID, Sending | DomainError] = {}
            ready = []
            for document_id in dict.fromkeys(document_ids):
                try:
                    self._document(firm_id, client_id, document_id, by)
                except DomainError as error:
                    outcome[document_id] = error
                    continue
                multisends = self._multisends(document_id) or Multisends.open(
                    firm_id=firm_id, client_id=client_id, document_id=document_id, by=by)
                outcome[document_id] = multisends.request(uuid4(), destination, by)
                ready.append(multisends)
            self.app.save(*ready)
            return outcome

        return self.app._run(command)

    def retry(self, firm_id: UUID, client_id: UUID, document_id: UUID, sending_id: UUID,
              by: Actor) -> Sending:
        """A failed sending asked to go again (the client, or ops: ``by`` a system)."""
        if by.kind != "system":
            check_client_side(by)
            self._document(firm_id, client_id, document_id, by)
        return self.retry_for_system(document_id, sending_id, by)

    def retry_for_system(self, document_id: UUID, sending_id: UUID, by: Actor) -> Sending:
        def command() -> Sending:
            multisends = self._multisends(document_id)
            if multisends is None:
                raise SendingNotFound(f"no sending {sending_id} of this document")
            again = multisends.retry(sending_id, by)
            self.app.save(multisends)
            return again

        return self.app._run(command)
