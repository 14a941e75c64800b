"""The SMTP intake with its mails taken in by worker processes (LUCY_INTAKE_PROCESSES), as
``lucy-events smtp`` and ``serve`` run it: a mail is answered 250 only once a worker
committed it; a worker that dies or cannot open the stores gets the mail answered 451
(the sender keeps it and tries again) and is replaced."""

from __future__ import annotations

import os
import signal
import smtplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest

from lucy_events.aggregates.document import Document
from lucy_events.bootstrap import Services, bootstrap
from lucy_events.config import Settings
from lucy_events.intake import worker_processes
from lucy_events.intake.smtp_server import IntakeController, smtp_controller
from lucy_events.intake.worker_processes import IntakeWorkers
from lucy_events.projections.inbox_addresses import InboxAddressesProjection
from tests.conftest import FakeClock
from tests.e2e.conftest import free_port
from tests.mails import mail, wire
from tests.support import open_office, process_running

DOMAIN = "inbox.test"


@dataclass
class Site:
    services: Services
    server: IntakeController
    client_id: UUID
    address: str
    stopped: bool = False

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.stop()

    @property
    def workers(self) -> IntakeWorkers:
        assert self.server.workers is not None
        return self.server.workers

    def send(self, pdf: bytes, port: int | None = None) -> dict[str, tuple[int, bytes]]:
        raw = wire(mail(to=self.address, attachments=[("invoice.pdf", "application/pdf",
                                                       pdf)]))
        with smtplib.SMTP("127.0.0.1", port or self.server.port, timeout=30,
                          local_hostname="mx.supplier.example") as smtp:
            return smtp.sendmail("ap@supplier.example", [self.address], raw)

    def documents(self) -> list[Document]:
        """The client's documents in the event store, oldest first."""
        app = self.services.app
        ids = [n.originator_id for n in app.recorder.select_notifications(1, 10_000)
               if n.topic.endswith("DocumentReceived")]
        found = [app.repository.get(i) for i in ids]
        return [d for d in found if isinstance(d, Document) and d.client_id == self.client_id]


def settings(data_dir: Path, **extra: str) -> Settings:
    return Settings.from_env({"LUCY_DATA_DIR": str(data_dir), "LUCY_INBOX_DOMAIN": DOMAIN,
                              "LUCY_SMTP_PORT": str(free_port()), "LUCY_LOG_FORMAT": "json",
                              **extra})


@contextmanager
def intake_site(data_dir: Path, **env: str) -> Iterator[Site]:
    """``lucy-events smtp`` on ``data_dir``, a client's inbox address known."""
    services = bootstrap(settings(data_dir, **env))
    office = open_office(services.app)
    client_id = office.new_client()
    address = f"{services.app.client_for_operator(client_id).inbox_local_part}@{DOMAIN}"
    consumers = services.consumer_runner([InboxAddressesProjection(services.read_db)],
                                         poll_timeout=0.05)
    consumers.start()
    deadline = time.monotonic() + 10
    while services.mail_intake().inbox(address) is None:
        assert time.monotonic() < deadline, "the inbox address never showed up"
        time.sleep(0.02)
    consumers.stop()
    server = services.smtp_server()
    assert isinstance(server, IntakeController)
    server.start()
    site = Site(services, server, client_id, address)
    try:
        yield site
    finally:
        site.stop()
        services.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with intake_site(tmp_path_factory.mktemp("intake-workers"),
                     LUCY_INTAKE_PROCESSES="2") as found:
        yield found


def test_a_mail_taken_in_by_a_worker_process_lands_as_a_document(site: Site):
    assert site.services.intake_processes == 2
    assert len(site.workers.pool.pids) == 2 and os.getpid() not in site.workers.pool.pids
    woken = site.services.app.subscribe_saved()  # as serve's consumers wait
    pdf = b"%PDF-1.4\n% taken in by a worker\n%%EOF\n"
    assert site.send(pdf) == {}
    [document] = [d for d in site.documents() if d.file_name == "invoice.pdf"
                  and site.services.app.blobs.get(d.blob_ref) == pdf]
    assert document.channel == "email" and document.sender == "ap@supplier.example"
    assert woken.is_set()  # the followers in the server's process are told at once


def test_a_worker_killed_mid_mail_gets_it_answered_451_and_the_next_mail_is_taken(
    site: Site,
):
    killed = site.workers.pool.pids
    for pid in killed:  # neither can take the mail in before it is killed
        os.kill(pid, signal.SIGSTOP)
    refused: list[smtplib.SMTPResponseException] = []

    def send() -> None:
        try:
            site.send(b"%PDF-1.4\n% the worker dies with it\n%%EOF\n")
        except smtplib.SMTPResponseException as error:
            refused.append(error)

    sending = threading.Thread(target=send)
    sending.start()
    deadline = time.monotonic() + 10
    while site.workers.pool.busy == 0:  # the mail is in a worker's hands
        assert time.monotonic() < deadline, "the mail never reached a worker"
        time.sleep(0.01)
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    sending.join(30)
    [error] = refused
    assert error.smtp_code == 451
    while any(process_running(pid) for pid in killed):  # (a mail sent to the other before it
        assert time.monotonic() < deadline + 10  # is seen dead is answered 451 too)
        time.sleep(0.01)
    pdf = b"%PDF-1.4\n% the next one\n%%EOF\n"
    assert site.send(pdf) == {}  # by a fresh worker
    assert any(site.services.app.blobs.get(d.blob_ref) == pdf for d in site.documents())
    assert not set(site.workers.pool.pids) & set(killed)
    assert len(site.workers.pool.pids) == 2


def test_while_dead_workers_cannot_be_replaced_mail_is_answered_451_never_5xx(
    site: Site, monkeypatch: pytest.MonkeyPatch,
):
    killed = site.workers.pool.pids
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(process_running(pid) for pid in killed):  # a worker not dead yet when the
        assert time.monotonic() < deadline  # mail comes takes it and dies with it: 451
        time.sleep(0.01)

    def cannot_start(*args: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(worker_processes, "_Worker", cannot_start)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        site.send(b"%PDF-1.4\n% no worker now\n%%EOF\n")
    assert refused.value.smtp_code == 451
    monkeypatch.undo()
    pdf = b"%PDF-1.4\n% workers again\n%%EOF\n"
    assert site.send(pdf) == {}
    assert any(site.services.app.blobs.get(d.blob_ref) == pdf for d in site.documents())


def test_a_worker_process_that_cannot_open_the_stores_answers_451(site: Site,
                                                                  tmp_path: Path):
    # The server's process looks the inbox up; its worker gets settings naming a store
    # that cannot be opened (a database file under a regular file).
    (tmp_path / "file").write_text("")
    broken = Settings.from_env({"LUCY_DATA_DIR": str(tmp_path),
                                "LUCY_DATABASE_URL": f"sqlite:///{tmp_path}/file/events.db",
                                "LUCY_INBOX_DOMAIN": DOMAIN})
    workers = IntakeWorkers(broken, 1)
    server = smtp_controller(site.services.mail_intake(), host="127.0.0.1",
                             port=free_port(), size_limit=1_000_000, workers=workers)
    server.start()
    try:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            site.send(b"%PDF-1.4\n% not now\n%%EOF\n", port=server.port)
        assert refused.value.smtp_code == 451
        assert workers.pool.pids  # still there: it tries again on its next mail
    finally:
        server.stop()


def test_bootstrap_given_its_own_clock_takes_mail_in_in_the_servers_process(tmp_path: Path):
    # A worker process builds its adapters from the settings: a test's fake clock or
    # in-memory blobs would not be in it.
    services = bootstrap(settings(tmp_path, LUCY_INTAKE_PROCESSES="2"), clock=FakeClock())
    try:
        assert services.intake_processes == 0
        server = services.smtp_server()
        assert isinstance(server, IntakeController) and server.workers is None
    finally:
        services.close()


def _postgres_connections(pid: int) -> int:
    """The process's TCP connections to port 5432 (its sockets, found in /proc/net)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if fields[9] in inodes and fields[2].endswith(":1538"):  # 5432
                    found += 1
    return found


def test_on_postgresql_a_worker_takes_mail_in_on_one_event_store_connection(
    tmp_path: Path, postgres_url: str,
):
    with intake_site(tmp_path, LUCY_INTAKE_PROCESSES="1",
                     LUCY_DATABASE_URL=postgres_url) as pg:
        pdf = b"%PDF-1.4\n% on PostgreSQL\n%%EOF\n"
        assert pg.send(pdf) == {}
        assert any(pg.services.app.blobs.get(d.blob_ref) == pdf for d in pg.documents())
        [worker] = pg.workers.pool.pids
        # One for the event store, where the server's process keeps five; the rest are
        # the read database's (the person keys and the inbox addresses): 8 before.
        assert _postgres_connections(worker) <= 4


def test_a_mail_in_a_workers_hands_when_the_server_stops_is_finished_first(tmp_path: Path):
    with intake_site(tmp_path, LUCY_INTAKE_PROCESSES="1") as one:
        [worker] = one.workers.pool.pids
        os.kill(worker, signal.SIGSTOP)  # the mail waits in its hands
        pdf = b"%PDF-1.4\n% taken in while the server stops\n%%EOF\n"
        failed: list[Exception] = []

        def send() -> None:
            try:
                one.send(pdf)
            except (smtplib.SMTPException, OSError) as error:
                failed.append(error)

        sending = threading.Thread(target=send)
        sending.start()
        deadline = time.monotonic() + 10
        while one.workers.pool.busy == 0:
            assert time.monotonic() < deadline, "the mail never reached the worker"
            time.sleep(0.01)
        stopping = threading.Thread(target=one.stop)
        stopping.start()
        time.sleep(0.3)  # the server has stopped; the worker holds the mail
        os.kill(worker, signal.SIGCONT)
        stopping.join(30)
        sending.join(30)
        assert not stopping.is_alive() and not process_running(worker)
        # No 250 reached the sender (it will send again), but nothing was cut short:
        assert len(failed) == 1
        assert any(one.services.app.blobs.get(d.blob_ref) == pdf for d in one.documents())
