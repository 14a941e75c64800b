"""Asking and delivering in one FTP session: a document already there is not sent again."""

from __future__ import annotations

from tests.integration.delivery import ftp_server
from tests.integration.delivery.test_ftp_delivery import adapter, target


def test_deliver_once_uploads_a_new_document_and_finds_it_the_second_time(ftp, outgoing):
    document = outgoing()
    first = adapter().deliver_once(document, target(ftp, tls=False))
    assert not first.existing
    again = adapter().deliver_once(document, target(ftp, tls=False))
    assert again.existing and again.remote_reference == first.remote_reference
    assert [c for c, _ in ftp.commands()].count("STOR") == 1


def test_the_delivery_key_is_asked_with_one_size_command_not_a_folder_listing(ftp, outgoing):
    document = outgoing()
    first = adapter().deliver_once(document, target(ftp, tls=False))
    ftp.log.clear()
    ftp.asked.clear()
    again = adapter().deliver_once(document, target(ftp, tls=False))
    assert again.existing
    final = first.remote_reference.rsplit("/", 1)[1]
    assert ftp.asked == [("SIZE", final)]  # however many files the folder holds
    assert ftp.commands() == []  # no STOR, no rename


def test_a_server_without_size_is_asked_with_a_folder_listing(tmp_path, outgoing):
    thread, server = ftp_server.start(tmp_path / "home", without=frozenset({"SIZE"}))
    try:
        document = outgoing()
        first = adapter().deliver_once(document, target(server, tls=False))
        again = adapter().deliver_once(document, target(server, tls=False))
        assert not first.existing and again.existing
        assert [c for c, _ in server.commands()].count("STOR") == 1
        assert {c for c, _ in server.asked} == {"NLST"}  # SIZE never reached its handler
        assert adapter().find_delivered(document, target(server, tls=False)) == (
            first.remote_reference)
        assert adapter().find_delivered(outgoing(), target(server, tls=False)) is None
    finally:
        thread.stop()
