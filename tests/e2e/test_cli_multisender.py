"""``lucy-events route`` runs the multisender's worker: killed while its mail is in the
relay's hands, and started again, it sends no second copy (the sending's delivery key),
and the document stays Sent towards the accountant's package. PostgreSQL, the process
as a user runs it, a real SMTP server (aiosmtpd). ``deliveries multisend-failed`` and
``multisend-retry`` list and retry its failures."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from tests.e2e.conftest import BIN, Cli, cli_env
from tests.multisender_support import SteeredSmtp, confirmation_link, steered_smtp  # noqa: F401
from tests.support import open_office

OCTOPUS = "inbox@octopus.example"


def route(cli: Cli, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN), "route"], env=cli.env, cwd=cli.cwd,
                            stdout=subprocess.DEVNULL, stderr=log.open("ab"))


@pytest.mark.postgres
def test_a_worker_killed_mid_send_and_restarted_delivers_the_mail_once(
        postgres_url: str, tmp_path: Path, steered_smtp: SteeredSmtp):  # noqa: F811
    cli = Cli(cli_env(tmp_path, LUCY_DATABASE_URL=postgres_url,
                      LUCY_SMTP_RELAY=steered_smtp.relay_url), tmp_path)
    services = bootstrap(Settings.from_env(cli.env))
    try:
        app = services.app
        office = open_office(app)
        client_id = office.new_client()
        client = Actor.client(client_id)
        document_id = office.receive(client_id)
        app.request_send(office.firm_id, document_id, office.admin)
        app.record_sent(document_id, "octopus", "ref-1", Actor.system("router"))
        multisender = services.multisender()
        new = multisender.add_destination(office.firm_id, client_id, OCTOPUS, None, client)
        [mail] = steered_smtp.to(OCTOPUS)
        multisender.confirm_destination(confirmation_link(mail).rsplit("/", 1)[1])

        steered_smtp.hold = True  # the relay takes the mail and does not answer yet
        sending = multisender.send(office.firm_id, client_id, [document_id],
                                   new.destination.destination_id, client)[document_id]
        log = tmp_path / "route.log"
        worker = route(cli, log)
        try:
            assert steered_smtp.arrived.wait(60), log.read_text()
            worker.send_signal(signal.SIGKILL)  # dies with the mail in the relay's hands
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        steered_smtp.release.set()
        assert [m["Message-ID"] for m in steered_smtp.received][1:] == [
            sending.message_id_header]  # the relay has it; the worker never heard so
        [status] = [s.status for s in multisender.sendings(office.firm_id, client_id,
                                                           document_id, client)]
        assert status == "requested"  # the outcome was never recorded

        worker = route(cli, log)
        try:
            deadline = time.monotonic() + 60
            while True:
                [again] = multisender.sendings(office.firm_id, client_id, document_id, client)
                if again.status != "requested" or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        assert (again.status, again.message_id) == ("sent", sending.message_id_header)
        copies = [m for m in steered_smtp.received
                  if m["Message-ID"] == sending.message_id_header]
        assert len(copies) == 1, log.read_text()
        assert app.document(office.firm_id, document_id).status is DocumentStatus.SENT
    finally:
        services.close()


def wait_for_status(multisender, office, client_id, document_id, status: str):
    client = Actor.client(client_id)
    deadline = time.monotonic() + 60
    while True:
        [found] = multisender.sendings(office.firm_id, client_id, document_id, client)
        if found.status == status or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.mark.postgres
def test_a_refused_sending_is_listed_with_its_reason_and_sent_again_from_the_cli(
        postgres_url: str, tmp_path: Path, steered_smtp: SteeredSmtp):  # noqa: F811
    cli = Cli(cli_env(tmp_path, LUCY_DATABASE_URL=postgres_url,
                      LUCY_SMTP_RELAY=steered_smtp.relay_url), tmp_path)
    services = bootstrap(Settings.from_env(cli.env))
    log = tmp_path / "route.log"
    try:
        office = open_office(services.app)
        client_id = office.new_client()
        client = Actor.client(client_id)
        document_id = office.receive(client_id)
        multisender = services.multisender()
        new = multisender.add_destination(office.firm_id, client_id, OCTOPUS, None, client)
        multisender.confirm_destination(
            confirmation_link(steered_smtp.to(OCTOPUS)[0]).rsplit("/", 1)[1])
        steered_smtp.replies[OCTOPUS] = "550 5.1.1 No such user here"
        sending = multisender.send(office.firm_id, client_id, [document_id],
                                   new.destination.destination_id, client)[document_id]
        worker = route(cli, log)
        try:
            failed = wait_for_status(multisender, office, client_id, document_id, "failed")
            assert (failed.status, failed.retryable) == ("failed", False), log.read_text()

            listed = cli.run("deliveries", "multisend-failed").stdout
            assert str(sending.sending_id) in listed and "550 5.1.1 No such user here" in listed
            assert "1 failed multisender sendings" in listed

            del steered_smtp.replies[OCTOPUS]
            retried = cli.run("deliveries", "multisend-retry", "--client", str(client_id))
            assert "1 sendings asked to go again, 0 skipped" in retried.stdout
            sent = wait_for_status(multisender, office, client_id, document_id, "sent")
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        assert (sent.status, sent.attempt) == ("sent", 2)
        assert "0 failed multisender sendings" in cli.run("deliveries",
                                                          "multisend-failed").stdout
        assert len([m for m in steered_smtp.received
                    if m["Message-ID"] == sending.message_id_header]) == 1
    finally:
        services.close()
