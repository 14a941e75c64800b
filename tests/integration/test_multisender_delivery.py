"""The multisender through the real parts: the service built by bootstrap, its
consumers run by the one consumer runner, mail through LUCY_SMTP_RELAY to an aiosmtpd
server. A destination is confirmed from the link mailed to it; a Sent document goes
there once, and stays Sent towards the accountant's package; a refused mail keeps its
reason and can go again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.aggregates.multisender_rules import DestinationNotConfirmed
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.multisender.delivery import MultisendDelivery
from lucy_events.notifications.mailer import TransientMailError
from lucy_events.routers.integrations.retrying import delivery_retrying
from tests.integration.onboarding.conftest import settings_for
from tests.multisender_support import SteeredSmtp, confirmation_link, steered_smtp  # noqa: F401
from tests.support import Office, open_office

OCTOPUS = "inbox@octopus.example"


@pytest.fixture
def services(tmp_path: Path, steered_smtp: SteeredSmtp) -> Iterator[Services]:  # noqa: F811
    services = bootstrap(settings_for(tmp_path, steered_smtp.relay_url))
    yield services
    services.close()


@pytest.fixture
def office(services: Services) -> Office:
    return open_office(services.app)


def sent_document(office: Office, client_id: UUID) -> UUID:
    """A document delivered to the accountant's package (Sent)."""
    document_id = office.receive(client_id)
    office.app.request_send(office.firm_id, document_id, office.admin)
    office.app.record_sent(document_id, "octopus", "ref-1", Actor.system("router"))
    return document_id


def eventually(check: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def confirmed(services: Services, office: Office, client_id: UUID, smtp: SteeredSmtp,
              address: str = OCTOPUS) -> UUID:
    multisender = services.multisender()
    new = multisender.add_destination(office.firm_id, client_id, address, "Octopus",
                                      Actor.client(client_id))
    assert new.mail.sent, new.mail.error
    [mail] = smtp.to(address)
    token = confirmation_link(mail).rsplit("/", 1)[1]
    multisender.confirm_destination(token)
    return new.destination.destination_id


def test_a_sent_document_goes_once_to_a_destination_confirmed_from_its_email_and_stays_sent(
        services: Services, office: Office, steered_smtp: SteeredSmtp):  # noqa: F811
    client_id = office.new_client()
    client = Actor.client(client_id)
    document_id = sent_document(office, client_id)
    version_before = services.app.document(office.firm_id, document_id).version
    multisender = services.multisender()

    new = multisender.add_destination(office.firm_id, client_id, OCTOPUS, "Octopus", client)
    [mail] = steered_smtp.to(OCTOPUS)
    assert mail["Subject"] == "Bevestig dat Bakkerij Claes documenten naar dit adres mag sturen"
    with pytest.raises(DestinationNotConfirmed):
        multisender.send(office.firm_id, client_id, [document_id],
                         new.destination.destination_id, client)
    _, destination = multisender.confirm_destination(confirmation_link(mail).rsplit("/", 1)[1])
    assert destination.confirmed

    outcome = multisender.send(office.firm_id, client_id, [document_id],
                               destination.destination_id, client)
    sending = outcome[document_id]
    runner = services.consumer_runner(services.delivery_handlers(), poll_timeout=0.05)
    runner.start()
    try:
        done = eventually(lambda: [s for s in multisender.sendings(
            office.firm_id, client_id, document_id, client) if s.status == "sent"])
    finally:
        runner.stop()
    assert [s.message_id for s in done] == [f"<multisend-{sending.sending_id.hex}@lucy-events>"]
    copies = [m for m in steered_smtp.to(OCTOPUS) if m["Message-ID"] == done[0].message_id]
    assert len(copies) == 1
    [attachment] = list(copies[0].iter_attachments())
    assert attachment.get_filename() == "invoice.pdf"
    document = services.app.document(office.firm_id, document_id)
    assert document.status is DocumentStatus.SENT
    assert document.version == version_before  # nothing was recorded on the Document


def test_the_accountant_cannot_set_up_or_use_the_clients_multisender(
        services: Services, office: Office):
    client_id = office.new_client()
    multisender = services.multisender()
    with pytest.raises(PermissionDenied):
        multisender.add_destination(office.firm_id, client_id, OCTOPUS, None, office.admin)
    assert multisender.destinations(office.firm_id, client_id, office.accountant) == []


def fast_worker(services: Services) -> ConsumerRuntime:
    """The worker with the router's policy over mail errors, without its waits."""
    worker = MultisendDelivery(
        services.app, services.mailer(), services.sent_mail(),
        retrying=lambda: delivery_retrying(transient=(TransientMailError,),
                                           sleep=lambda seconds: None))
    return ConsumerRuntime(LogSource(services.app, services.read_db, worker.name,
                                     worker.topics), worker,
                           StoreDeadLetters(services.read_db), poll_timeout=0.05)


def test_a_relay_that_says_not_now_is_retried_by_the_policy_then_the_failure_is_kept_and_retryable(
        services: Services, office: Office, steered_smtp: SteeredSmtp):  # noqa: F811
    client_id = office.new_client()
    client = Actor.client(client_id)
    document_id = sent_document(office, client_id)
    destination_id = confirmed(services, office, client_id, steered_smtp)
    multisender = services.multisender()
    steered_smtp.replies[OCTOPUS] = "451 4.7.1 Greylisted, try again later"
    sending = multisender.send(office.firm_id, client_id, [document_id], destination_id,
                               client)[document_id]
    attempts_before = steered_smtp.rcpt_attempts.count(OCTOPUS)
    fast_worker(services).step()
    assert steered_smtp.rcpt_attempts.count(OCTOPUS) - attempts_before == 5  # the policy's
    [failed] = multisender.sendings(office.firm_id, client_id, document_id, client)
    assert (failed.status, failed.retryable) == ("failed", True)
    assert "451" in (failed.reason or "")

    del steered_smtp.replies[OCTOPUS]
    multisender.retry(office.firm_id, client_id, document_id, sending.sending_id, client)
    fast_worker(services).step()
    [sent] = multisender.sendings(office.firm_id, client_id, document_id, client)
    assert (sent.status, sent.attempt) == ("sent", 2)
    assert len([m for m in steered_smtp.to(OCTOPUS) if m["Message-ID"] == sent.message_id]) == 1
    assert services.app.document(office.firm_id, document_id).status is DocumentStatus.SENT


def test_a_refused_recipient_is_recorded_as_not_retryable_with_the_relays_words(
        services: Services, office: Office, steered_smtp: SteeredSmtp):  # noqa: F811
    client_id = office.new_client()
    client = Actor.client(client_id)
    document_ids = [sent_document(office, client_id), office.receive(client_id)]
    destination_id = confirmed(services, office, client_id, steered_smtp)
    steered_smtp.replies[OCTOPUS] = "550 5.1.1 No such user here"
    outcome = services.multisender().send(office.firm_id, client_id, document_ids,
                                          destination_id, client)
    assert set(outcome) == set(document_ids)
    fast_worker(services).step()
    for document_id in document_ids:
        [failed] = services.multisender().sendings(office.firm_id, client_id, document_id,
                                                   client)
        assert (failed.status, failed.retryable) == ("failed", False)
        assert "550" in (failed.reason or "")
    assert services.app.document(office.firm_id, document_ids[1]).status is DocumentStatus.INBOX
