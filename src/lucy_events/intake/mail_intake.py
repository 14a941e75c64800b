"""One mail, from the SMTP conversation to the event store: look up the inboxes,
authenticate the sender where a client asks for it, decide, record, reply.

Synchronous and free of aiosmtpd, so it is tested (and benchmarked) on its own; the
SMTP handler runs it in a worker process (``worker_processes``) or, with none, in a
worker thread. The reply is 250 only after ``take_in_mail``
returned, that is after every blob is stored and every event committed; anything that
fails before that answers 451, so the sending server keeps the mail and tries again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.application.documents import IncomingDocument
from lucy_events.application.mail import HeldMail, mail_documents
from lucy_events.intake import decisions
from lucy_events.intake.allowed_senders import AllowedSenders
from lucy_events.intake.mail_contents import MailContents, MalformedMail, read_mail
from lucy_events.intake.sender_auth import Authentication, Authenticator

log = structlog.get_logger()

SMTP_ACTOR = Actor.system("smtp-intake")
_FOUND_LIMIT = 100_000


@dataclass(frozen=True)
class Inbox:
    firm_id: UUID
    client_id: UUID
    address: str


@dataclass(frozen=True)
class ArrivedMail:
    """What the SMTP conversation gave: the envelope and the bytes."""

    raw: bytes
    inboxes: Sequence[Inbox]
    mail_from: str
    client_ip: str
    helo: str


#: The inbox a local part names, or None (the inbox addresses read model).
Directory = Callable[[str], "tuple[UUID, UUID] | None"]


class MailIntake:
    def __init__(self, app: LucyApplication, directory: Directory, senders: AllowedSenders,
                 authenticator: Authenticator, domain: str) -> None:
        self.app = app
        self.directory = directory
        self.senders = senders
        self.authenticator = authenticator
        self.domain = domain
        #: An address, once it names a client, names it for good (it is derived from
        #: the client's creation); so found ones are kept. Unknown ones are asked again:
        #: the client may have been created since. (What may change, the allowed
        #: senders, is not kept here: ``senders`` checks it against the store per mail.)
        self._found: dict[str, tuple[UUID, UUID]] = {}

    def known_inbox(self, address: str) -> Inbox | None:
        """The inbox of an address found before, without I/O (so the SMTP handler need
        not hand the RCPT to a worker thread); None: ask ``inbox``."""
        local_part = decisions.inbox_local_part(address, self.domain)
        found = self._found.get(local_part) if local_part else None
        return Inbox(found[0], found[1], address) if found is not None else None

    def inbox(self, address: str) -> Inbox | None:
        """The inbox an RCPT TO address names, or None (550)."""
        local_part = decisions.inbox_local_part(address, self.domain)
        if not local_part:
            return None
        found = self._found.get(local_part)
        if found is None:
            found = self.directory(local_part)
            if found is None:
                return None
            if len(self._found) >= _FOUND_LIMIT:
                self._found.clear()
            self._found[local_part] = found
        return Inbox(found[0], found[1], address)

    def take_in(self, mail: ArrivedMail) -> str:
        """The SMTP reply to the mail's DATA."""
        bound = log.bind(mail_size=len(mail.raw), recipients=len(mail.inboxes),
                         client_ip=mail.client_ip)
        try:
            contents = read_mail(mail.raw)
        except MalformedMail as error:
            bound.info("mail refused: malformed", reason=str(error))
            return decisions.malformed(str(error))
        if not contents.attachments:
            bound.info("mail refused: no usable attachment", skipped=len(contents.skipped))
            return decisions.NO_USABLE_ATTACHMENT
        try:
            decided = self._decide(mail, contents)
            if decided is None:
                bound.info("mail deferred: DNS did not answer the sender checks")
                return decisions.DNS_TRY_AGAIN
            documents, held = decided
            outcome = self.app.take_in_mail(mail.raw, documents, held, SMTP_ACTOR)
        except Exception:
            bound.exception("mail not stored; asked the sender to try again")
            return decisions.TRY_AGAIN
        bound.info("mail taken in", documents=len(outcome.document_ids),
                   quarantined=len(outcome.quarantined),
                   clients=sorted({str(i.client_id) for i in mail.inboxes}))
        return decisions.accepted(len(outcome.document_ids), len(outcome.quarantined))

    def _decide(self, mail: ArrivedMail, contents: MailContents
                ) -> tuple[list[IncomingDocument], list[HeldMail]] | None:
        """The documents and quarantine entries of the mail, or None to defer it."""
        documents: list[IncomingDocument] = []
        held: list[HeldMail] = []
        auth: Authentication | None = None
        for inbox in {i.client_id: i for i in mail.inboxes}.values():
            allowed = self.senders.of(inbox.client_id)
            if decisions.needs_authentication(allowed) and auth is None:
                auth = self.authenticator.check(mail.raw, client_ip=mail.client_ip,
                                                helo=mail.helo, mail_from=mail.mail_from)
            verdict = decisions.verdict(contents.from_address, allowed, auth)
            if verdict.defer:
                return None
            if verdict.reason is not None:
                held.append(HeldMail(inbox.client_id, verdict.reason))
                log.info("mail quarantined", client_id=str(inbox.client_id),
                         reason=verdict.reason)
                continue
            documents.extend(mail_documents(inbox.firm_id, inbox.client_id, contents))
        return documents, held
