"""Mail commands: what arrives at a client's inbox address becomes documents, or waits
in the client's quarantine until an admin releases or discards it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

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
            self.save(*new_documents, *clients)
            return MailOutcome([d.id for d in new_documents], mail_ids)

        return self._run(command)

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
