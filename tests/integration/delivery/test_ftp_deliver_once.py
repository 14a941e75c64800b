"""Asking and delivering in one FTP session: a document already there is not sent again."""

from __future__ import annotations

from tests.integration.delivery.test_ftp_delivery import adapter, target


def test_deliver_once_uploads_a_new_document_and_finds_it_the_second_time(ftp, outgoing):
    document = outgoing()
    first = adapter().deliver_once(document, target(ftp, tls=False))
    assert not first.existing
    again = adapter().deliver_once(document, target(ftp, tls=False))
    assert again.existing and again.remote_reference == first.remote_reference
    assert [c for c, _ in ftp.commands()].count("STOR") == 1
