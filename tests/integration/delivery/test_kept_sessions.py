"""A delivery adapter keeps its session to the package's server for the thread's next
delivery: one sign-in and one password read for many documents, and a session the
server closed meanwhile is replaced without failing the delivery."""

from __future__ import annotations

import socket
import threading
import time

from lucy_events.routers.integrations import EmailIntegration, FtpIntegration, InMemorySecretStore
from tests.integration.delivery import ftp_server
from tests.integration.delivery.test_email_delivery import relay
from tests.integration.delivery.test_email_delivery import target as mail_target
from tests.integration.delivery.test_ftp_delivery import PASSWORD, target


class CountingSecrets(InMemorySecretStore):
    def __init__(self) -> None:
        super().__init__({"ftp-firm": {"password": PASSWORD}})
        self.reads = 0

    def get(self, ref: str) -> dict[str, str]:
        self.reads += 1
        return super().get(ref)


def test_ftp_deliveries_from_one_thread_sign_in_and_read_the_password_once(ftp, outgoing):
    secrets = CountingSecrets()
    adapter = FtpIntegration(secrets, timeout=5.0)
    documents = [outgoing() for _ in range(3)]
    for document in documents:
        assert not adapter.deliver_once(document, target(ftp, tls=False)).existing

    assert adapter.deliver_once(documents[0], target(ftp, tls=False)).existing
    assert ftp.logins == 1 and secrets.reads == 1
    assert [c for c, _ in ftp.commands()].count("RNTO") == 3


def test_each_worker_thread_has_its_own_ftp_session(ftp, outgoing):
    adapter = FtpIntegration(CountingSecrets(), timeout=5.0)
    threads = [threading.Thread(target=adapter.deliver_once,
                                args=(outgoing(), target(ftp, tls=False))) for _ in range(2)]
    for thread in threads:
        thread.start()
        thread.join(10)  # one after the other: each still opens its own
    assert ftp.logins == 2


def test_an_ftp_session_the_server_closed_is_replaced_and_the_delivery_goes_through(
        tmp_path, outgoing):
    thread, server = ftp_server.start(tmp_path / "home", idle_timeout=0.3)
    try:
        adapter = FtpIntegration(CountingSecrets(), timeout=5.0)
        adapter.deliver_once(outgoing(), target(server, tls=False))
        time.sleep(0.8)  # the server drops the idle session
        document = outgoing()
        delivered = adapter.deliver_once(document, target(server, tls=False))

        assert not delivered.existing and server.logins == 2
        assert adapter.find_delivered(document, target(server, tls=False)) == (
            delivered.remote_reference)
    finally:
        thread.stop()


def test_a_connection_test_always_signs_in_anew(ftp, outgoing):
    secrets = CountingSecrets()
    adapter = FtpIntegration(secrets, timeout=5.0)
    adapter.deliver_once(outgoing(), target(ftp, tls=False))
    adapter.check_connection(target(ftp, tls=False))
    assert ftp.logins == 2 and secrets.reads == 2


def test_mails_from_one_thread_share_one_connection_to_the_relay(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))
    for _ in range(3):
        adapter.deliver(outgoing(), mail_target())

    assert len(mail_server.received) == 3
    assert len({mail.peer for mail in mail_server.received}) == 1
    assert all(mail.over_tls for mail in mail_server.received)


def test_a_mail_whose_kept_connection_was_dropped_goes_on_a_new_one(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))
    adapter.deliver(outgoing(), mail_target())
    kept = adapter.mailer._kept.take("relay")  # type: ignore[attr-defined]
    assert kept is not None
    kept.sock.shutdown(socket.SHUT_RDWR)  # as if the relay had closed it
    adapter.mailer._kept.give_back("relay", kept)  # type: ignore[attr-defined]

    document = outgoing()
    adapter.deliver(document, mail_target())

    assert len(mail_server.received) == 2
    assert mail_server.received[0].peer != mail_server.received[1].peer
    assert mail_server.received[1].message["Message-ID"] == (
        f"<lucy-{document.document_id.hex}@lucy-events>")
