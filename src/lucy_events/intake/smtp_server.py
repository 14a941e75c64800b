"""The SMTP edge: aiosmtpd speaks the protocol, ``MailIntake`` decides and records.

RCPT TO names an inbox or gets 550 (an address seen before is answered on the spot, a
new one is looked up in a worker thread). DATA runs the intake in a worker process
(``worker_processes``, LUCY_INTAKE_PROCESSES) or, with none, in a worker thread (it
waits on disk and database), and answers what it says. The size limit is announced with
the SIZE extension and enforced by aiosmtpd (552) before the mail reaches the intake;
STARTTLS is offered when a certificate is configured. The DATA itself is read in chunks
(``smtp_data``), with the outcome aiosmtpd's own line-by-line loop gives.
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, Envelope, Session

from lucy_events.intake.decisions import (
    BAD_RECIPIENT_DOMAIN,
    UNKNOWN_RECIPIENT,
    inbox_local_part,
)
from lucy_events.intake.mail_intake import ArrivedMail, Inbox, MailIntake
from lucy_events.intake.smtp_data import DataOutcome, read_data

if TYPE_CHECKING:
    from lucy_events.intake.worker_processes import IntakeWorkers

log = structlog.get_logger()


class InboxHandler:
    """RCPT checked by ``intake``; DATA taken in by ``workers`` (processes) if given, else
    by ``intake`` in a worker thread."""

    def __init__(self, intake: MailIntake, workers: IntakeWorkers | None = None) -> None:
        self.intake = intake
        self.workers = workers

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        inbox = self.intake.known_inbox(address) or await asyncio.get_running_loop(
        ).run_in_executor(None, self.intake.inbox, address)
        if inbox is None:
            log.info("recipient refused", domain=address.rpartition("@")[2])
            ours = inbox_local_part(address, self.intake.domain) is not None
            return UNKNOWN_RECIPIENT if ours else BAD_RECIPIENT_DOMAIN
        envelope.rcpt_tos.append(address)
        _inboxes(envelope).append(inbox)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        peer = _peer_ip(session) or str(session.peer)
        mail = ArrivedMail(raw=raw, inboxes=list(_inboxes(envelope)),
                           mail_from=envelope.mail_from or "", client_ip=peer,
                           helo=session.host_name or "")
        if self.workers is not None:
            return await self.workers.take_in(mail)
        return await asyncio.get_running_loop().run_in_executor(
            None, self.intake.take_in, mail)


def _inboxes(envelope: Envelope) -> list[Inbox]:
    inboxes: list[Inbox] | None = getattr(envelope, "lucy_inboxes", None)
    if inboxes is None:
        inboxes = []
        envelope.lucy_inboxes = inboxes  # type: ignore[attr-defined]
    return inboxes


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


class IntakeSMTP(SMTP):
    """aiosmtpd's protocol, with its DATA read in chunks (``smtp_data``), logging the
    refusals the protocol makes itself (552 too large, 500 line too long): the intake
    never sees those mails, but ops should."""

    async def push(self, status: Any) -> None:
        text = status.decode() if isinstance(status, bytes) else str(status)
        if text.startswith(("552", "500")):
            log.info("mail refused by the protocol", reply=text[:80],
                     client_ip=_peer_ip(self.session))
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:
        """aiosmtpd's DATA command, step by step, but for how the lines are read
        (``smtp_data`` says why)."""
        if self._decode_data or "DATA" not in self._handle_hooks:
            await super().smtp_DATA(arg)  # not how the intake is configured
            return
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            outcome, content = await read_data(
                self._reader, size_limit=self.data_size_limit,
                line_limit=self.line_length_limit)
        except asyncio.CancelledError:  # the connection was lost
            log.info("connection lost during DATA", client_ip=_peer_ip(self.session))
            self._writer.close()
            raise
        if outcome is not DataOutcome.COMPLETE:
            await self.push(outcome.value)
            self._set_post_data_state()
            return
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


def _peer_ip(session: Session | None) -> str | None:
    peer = session.peer if session is not None else None
    return peer[0] if isinstance(peer, tuple) else None


class IntakeController(Controller):
    """aiosmtpd's Controller, greeting with the inbox domain (not the host's FQDN,
    whose lookup can take seconds); the intake's worker processes, if any, start before
    the server and stop after it."""

    def __init__(self, handler: Any, *, greeting_name: str,
                 workers: IntakeWorkers | None = None, **options: Any) -> None:
        super().__init__(handler, **options)
        self.greeting_name = greeting_name
        self.workers = workers

    def factory(self) -> SMTP:
        return IntakeSMTP(self.handler, hostname=self.greeting_name, **self.SMTP_kwargs)

    def start(self) -> None:
        if self.workers is not None:
            self.workers.start()
        super().start()

    def stop(self, no_assert: bool = False) -> None:
        if self.workers is not None:
            self.workers.refuse()
        try:
            super().stop(no_assert)  # cancels the mails' tasks; the workers go on
        finally:
            if self.workers is not None:  # after: a mail in a worker's hands is finished
                self.workers.close()


def smtp_controller(intake: MailIntake, *, host: str, port: int, size_limit: int,
                    tls: ssl.SSLContext | None = None,
                    workers: IntakeWorkers | None = None) -> IntakeController:
    """The intake's SMTP server in a thread of its own: ``start()``, ``stop()``; each
    mail taken in by ``workers`` (processes) if given, else in this process."""
    return IntakeController(
        InboxHandler(intake, workers),
        greeting_name=intake.domain, hostname=host, port=port, workers=workers,
        data_size_limit=size_limit, tls_context=tls, require_starttls=False,
        decode_data=False, ident="lucy-events intake",
    )
