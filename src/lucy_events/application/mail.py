"""Mail commands: what arrives at a client's inbox address becomes documents, or waits
in the client's quarantine until an admin releases or discards it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import ClientNotFound, require_admin
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.inbox import QuarantinedMail
from lucy_events.application.base import CommandsBase
from lucy_events.application.documents import IncomingDocument
from lucy_events.intake.mail_contents import MailContents, read_mail


@dataclass(frozen=True)
class HeldMail:
    """A mail for one client that goes to its quarantine, with the reason."""

    client_id: UUID
    reason: str


@dataclass(frozen=True)
class MailOutcome:
    document_ids: list[UUID]
    quarantined: list[UUID]


@dataclass(frozen=True)
class PreparedMail:
    """A mail ready to record (``MailCommands.prepare_mail``): its blobs stored, its
    events made on ``aggregates``, not saved; and what it was made from, to take it in
    again alone."""

    raw: bytes
    documents: tuple[IncomingDocument, ...]
    held: tuple[HeldMail, ...]
    by: Actor
    aggregates: tuple[Document | Client, ...]
    outcome: MailOutcome


def mail_documents(firm_id: UUID, client_id: UUID, mail: MailContents
                   ) -> list[IncomingDocument]:
    """The documents a mail's attachments become for one client."""
    return [
        IncomingDocument(firm_id, client_id, a.content, a.file_name, a.media_type, "email",
                         sender=mail.from_address, subject=mail.subject or None,
                         message_id=mail.message_id or None)
        for a in mail.attachments
    ]


class MailCommands(CommandsBase):
    #: DocumentCommands' (the application mixes both in): store the content, make the
    #: Document; saved by the caller.
    _new_document: Callable[[IncomingDocument, Actor], Document]

    def take_in_mail(self, raw: bytes, documents: Sequence[IncomingDocument],
                     held: Sequence[HeldMail], by: Actor) -> MailOutcome:
        """Store every blob, then record the documents and the quarantined mail in one
        transaction: when this returns, all of it is kept; when it raises, none of it
        is recorded (the sender is told to try again)."""
        def command() -> MailOutcome:
            mail = self.prepare_mail(raw, documents, held, by)
            self.save(*mail.aggregates)
            return mail.outcome

        return self._run(command)

    def prepare_mail(self, raw: bytes, documents: Sequence[IncomingDocument],
                     held: Sequence[HeldMail], by: Actor) -> PreparedMail:
        """What ``take_in_mail`` records, not saved yet: every blob stored, the new
        documents made and the clients that quarantine the mail loaded and changed."""
        new_documents = [self._new_document(incoming, by) for incoming in documents]
        clients: list[Client] = []
        mail_ids: list[UUID] = []
        if held:
            mail = read_mail(raw)
            blob = self.blobs.put(raw)
            for hold in held:
                client = self._load(Client, hold.client_id, ClientNotFound)
                mail_id = uuid4()
                client.quarantine_mail(
                    mail_id=mail_id, sender=mail.from_address, subject=mail.subject,
                    message_id=mail.message_id, reason=hold.reason,
                    raw_blob_ref=blob.ref, raw_size=blob.size,
                    attachments=[a.file_name for a in mail.attachments], by=by,
                )
                clients.append(client)
                mail_ids.append(mail_id)
        return PreparedMail(raw, tuple(documents), tuple(held), by, (*new_documents, *clients),
                            MailOutcome([d.id for d in new_documents], mail_ids))

    def take_in_mails(self, mails: Sequence[PreparedMail]) -> list[MailOutcome | Exception]:
        """Several prepared mails recorded in one transaction (one commit for the mails
        the SMTP connections finish at once): the outcome of each, in order. When a
        client changed since a mail loaded it (two mails quarantined for one client,
        say), nothing of the batch is recorded and each mail is taken in alone from a
        fresh load, as ``take_in_mail`` does; its error, if any, is its own. Any other
        failure (an outage) raises: none of the mails is recorded."""
        try:
            self.save(*(aggregate for mail in mails for aggregate in mail.aggregates))
        except IntegrityError:
            return [self._take_in_alone(mail) for mail in mails]
        return [mail.outcome for mail in mails]

    def _take_in_alone(self, mail: PreparedMail) -> MailOutcome | Exception:
        try:
            return self.take_in_mail(mail.raw, mail.documents, mail.held, mail.by)
        except Exception as error:  # this mail's, not the others'
            return error

    def quarantined_mail(self, firm_id: UUID, client_id: UUID, by: Actor
                         ) -> list[QuarantinedMail]:
        """The client's quarantined mail, oldest first (admins only)."""
        client = self.client(firm_id, client_id, by)  # hidden or another firm's: not found
        require_admin(by, "see quarantined mail")
        return sorted(client.quarantine.values(), key=lambda m: m.received_at)

    def release_quarantined_mail(self, firm_id: UUID, client_id: UUID, mail_id: UUID,
                                 by: Actor) -> list[UUID]:
        """Let a quarantined mail in: its attachments become documents, recorded with
        the release in one transaction, with the admin as actor."""
        self.client(firm_id, client_id, by)  # hidden or another firm's: not found, first
        require_admin(by, "release quarantined mail")

        def command() -> list[UUID]:
            client = self.client(firm_id, client_id, by)
            mail = client.quarantined(mail_id)
            raw = self.blobs.get(mail.raw_blob_ref)
            new: list[Document] = [self._new_document(incoming, by) for incoming
                                   in mail_documents(firm_id, client_id, read_mail(raw))]
            client.release_mail(mail_id, [d.id for d in new], by)
            self.save(*new, client)
            return [d.id for d in new]

        return self._run(command)

    def discard_quarantined_mail(self, firm_id: UUID, client_id: UUID, mail_id: UUID,
                                 by: Actor) -> None:
        self.client(firm_id, client_id, by)  # hidden or another firm's: not found, first
        require_admin(by, "discard quarantined mail")
        self._change(lambda: self.client(firm_id, client_id, by),
                     lambda c: c.discard_mail(mail_id, by))
