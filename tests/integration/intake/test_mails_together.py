"""The intake records the mails its connections finish at once in one transaction: a mail
that comes while another's save is under way waits for it and is saved with the others
that came meanwhile; each reply is 250 only once its own mail is committed, and a failed
save answers 451 to the mails it held, not to the next ones. On the embedded default's
SQLite file, with fsynced filesystem blobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from lucy_events.application import LucyApplication
from lucy_events.blobs import FilesystemBlobStore
from lucy_events.config import persistence_env
from lucy_events.intake.allowed_senders import AllowedSenders
from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
from lucy_events.intake.mail_intake import ArrivedMail, Inbox, MailIntake
from lucy_events.intake.sender_auth import Authenticator
from tests.integration.intake.local_dns import free_udp_port
from tests.mails import PDF, mail, wire
from tests.support import Office, open_office


@pytest.fixture
def office(tmp_path: Path, clock) -> Iterator[Office]:
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=FilesystemBlobStore(tmp_path / "blobs"), clock=clock)
    yield open_office(app)
    app.close()


def intake_of(office: Office, client_id: UUID) -> MailIntake:
    app = office.app
    unasked = resolver_at(("127.0.0.1", free_udp_port()), timeout=0.3)  # no allowed senders
    return MailIntake(app, lambda local: (office.firm_id, client_id),
                      AllowedSenders(app, lambda client: None),  # no read model here
                      Authenticator(DnsLookups(unasked)), "inbox.test")


def arrived(office: Office, client_id: UUID, n: int) -> ArrivedMail:
    raw = wire(mail(subject=f"Invoice {n}",
                    attachments=[("a.pdf", "application/pdf", PDF + b"%d" % n)]))
    return ArrivedMail(raw, [Inbox(office.firm_id, client_id, "x@inbox.test")],
                       "ap@supplier.example", "127.0.0.1", "mx.supplier.example")


def subjects(office: Office, client_id: UUID) -> list[str]:
    found = office.app.recorder.select_notifications(start=1, limit=1000)
    return sorted(office.app.mapper.to_domain_event(n).subject for n in found
                  if n.topic.endswith("DocumentReceived"))


class HeldSave:
    """The application's ``take_in_mails``, holding its first save until released."""

    def __init__(self, app: LucyApplication, failing_first: bool = False) -> None:
        self.record = app.take_in_mails
        self.batches: list[int] = []
        self.first_saving, self.release = threading.Event(), threading.Event()
        self.failing_first = failing_first

    def __call__(self, mails):  # type: ignore[no-untyped-def]
        self.batches.append(len(mails))
        if len(self.batches) == 1:
            self.first_saving.set()
            self.release.wait(5)
            if self.failing_first:
                raise OSError(5, "I/O error")  # the database went away under this save
        return self.record(mails)


def take_in_while_the_first_save_is_held(intake: MailIntake, held: HeldSave,
                                         mails: list[ArrivedMail]) -> list[str]:
    replies: list[str] = [""] * len(mails)

    def take_in(n: int) -> None:
        replies[n] = intake.take_in(mails[n])

    first = threading.Thread(target=take_in, args=(0,))
    first.start()
    assert held.first_saving.wait(5)
    others = [threading.Thread(target=take_in, args=(n,)) for n in range(1, len(mails))]
    for thread in others:
        thread.start()
    while len(intake._recording._waiting) < len(others):  # all wait behind the first save
        threading.Event().wait(0.01)
    assert replies == [""] * len(mails)  # nobody answered before its save
    held.release.set()
    for thread in [first, *others]:
        thread.join(5)
    return replies


def test_mails_finishing_while_a_save_is_under_way_are_recorded_by_the_next_save(
        office):
    client_id = office.new_client()
    intake = intake_of(office, client_id)
    held = HeldSave(office.app)
    intake._recording._run = held

    replies = take_in_while_the_first_save_is_held(
        intake, held, [arrived(office, client_id, n) for n in range(4)])

    assert held.batches == [1, 3]
    assert all(reply.startswith("250") for reply in replies)
    assert subjects(office, client_id) == [f"Invoice {n}" for n in range(4)]


def test_a_failed_save_answers_451_to_its_mails_and_the_next_save_takes_the_others(
        office):
    client_id = office.new_client()
    intake = intake_of(office, client_id)
    held = HeldSave(office.app, failing_first=True)
    intake._recording._run = held

    replies = take_in_while_the_first_save_is_held(
        intake, held, [arrived(office, client_id, n) for n in range(3)])

    assert replies[0].startswith("451") and all(r.startswith("250") for r in replies[1:])
    assert subjects(office, client_id) == ["Invoice 1", "Invoice 2"]
