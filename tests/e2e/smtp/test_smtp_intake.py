"""Mail to a client's inbox address, over real SMTP, ends as documents in that client's
Inbox (read back through the API), or is refused with a code that says why."""

from __future__ import annotations

import smtplib
from uuid import UUID

import pytest
from structlog.testing import capture_logs

from lucy_events.blobs import BlobStore
from tests.e2e.smtp.conftest import SIZE_LIMIT
from tests.mails import PDF, PNG, UBL, forwarded, mail


def inbox(site, firm, client_id):
    site.settle()
    reply = firm.admin.get(f"/clients/{client_id}/documents")
    assert reply.status == 200, reply
    return reply.json["items"]


def test_each_attachment_becomes_a_document_in_the_clients_inbox(site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    message = mail(to=to, subject="Invoices March", attachments=[
        ("march.pdf", "application/pdf", PDF), ("receipt.png", "image/png", PNG),
        ("march.xml", "application/xml", UBL)])
    assert site.send(message, [to]) == {}
    items = inbox(site, firm, client["id"])
    assert sorted((d["file_name"], d["channel"], d["sender"], d["status"]) for d in items) == [
        ("march.pdf", "email", "ap@supplier.example", "Inbox"),
        ("march.xml", "email", "ap@supplier.example", "Inbox"),
        ("receipt.png", "email", "ap@supplier.example", "Inbox")]
    document = site.api.services.app.document_for_system(UUID(items[0]["id"]))
    assert document.subject == "Invoices March"
    assert document.message_id == message["Message-ID"]


def test_a_mail_to_two_clients_gives_each_its_own_documents(site, firm):
    first, second = site.new_client(firm), site.new_client(firm)
    to = [site.address(first["id"]), site.address(second["id"])]
    site.send(mail(to=", ".join(to)), to)
    assert [d["file_name"] for d in inbox(site, firm, first["id"])] == ["invoice.pdf"]
    assert [d["file_name"] for d in inbox(site, firm, second["id"])] == ["invoice.pdf"]


def test_an_attachment_of_a_forwarded_mail_arrives_over_starttls(site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    inner = mail(attachments=[("forwarded.pdf", "application/pdf", PDF + b"fwd")])
    site.send(forwarded(inner, sender="owner@client.example", to=to), [to],
              mail_from="owner@client.example", starttls=True)
    items = inbox(site, firm, client["id"])
    assert [(d["file_name"], d["sender"]) for d in items] == [
        ("forwarded.pdf", "owner@client.example")]


def test_the_server_offers_starttls_and_announces_its_size_limit(site):
    with smtplib.SMTP("127.0.0.1", site.port, timeout=10) as smtp:
        smtp.ehlo("mx.supplier.example")
        assert smtp.has_extn("starttls")
        assert smtp.esmtp_features["size"] == str(SIZE_LIMIT)


def test_an_unknown_recipient_is_refused_at_rcpt_with_550(site, firm):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        site.send(mail(), ["nobody-000000@inbox.test"])
    code, text = refused.value.recipients["nobody-000000@inbox.test"]
    assert code == 550 and b"No such inbox" in text


def test_a_recipient_of_another_domain_is_refused_the_server_relays_nothing(site):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        site.send(mail(), ["someone@gmail.example"])
    code, text = refused.value.recipients["someone@gmail.example"]
    assert code == 550 and text.startswith(b"5.1.2")


def test_a_mail_without_a_usable_attachment_is_refused_with_the_reason(site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    with pytest.raises(smtplib.SMTPDataError) as refused:
        site.send(mail(to=to, attachments=[("notes.docx", "application/msword", b"PK\x03")]),
                  [to])
    assert refused.value.smtp_code == 554
    assert b"No usable attachment" in refused.value.smtp_error
    assert inbox(site, firm, client["id"]) == []


def test_malformed_mime_is_refused_with_the_reason(site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    raw = (b"From: ap@supplier.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody\r\n--x--\r\n")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        site.send(raw, [to])
    assert refused.value.smtp_code == 554
    assert b"cannot be read" in refused.value.smtp_error


def test_a_mail_over_the_size_limit_is_refused_with_552(site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    big = mail(to=to, attachments=[("big.pdf", "application/pdf", PDF + b"0" * SIZE_LIMIT)])
    with capture_logs() as logs, \
            pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
        site.send(big, [to])
    assert refused.value.smtp_code == 552
    refusals = [e for e in logs if e["event"] == "mail refused by the protocol"]
    assert refusals and refusals[0]["reply"].startswith("552")
    assert "big.pdf" not in str(logs)
    assert inbox(site, firm, client["id"]) == []


class FailingBlobs(BlobStore):
    """A disk that is full: every write fails."""

    def _write(self, digest: str, content: bytes) -> None:
        raise OSError(28, "No space left on device")

    def _read(self, digest: str) -> bytes:
        raise OSError(5, "Input/output error")

    def _exists(self, digest: str) -> bool:
        return False

    def _remove(self, digest: str) -> bool:
        return False


def test_a_mail_that_cannot_be_stored_gets_451_and_arrives_when_the_sender_retries(
        site, firm, monkeypatch):
    client = site.new_client(firm)
    to = site.address(client["id"])
    message = mail(to=to, attachments=[("retry.pdf", "application/pdf", PDF + b"retry")])
    head = site.api.services.app.recorder.max_notification_id()
    with monkeypatch.context() as patched:
        patched.setattr(site.api.services.app, "blobs", FailingBlobs())
        with pytest.raises(smtplib.SMTPDataError) as refused:
            site.send(message, [to])
    assert refused.value.smtp_code == 451
    assert site.api.services.app.recorder.max_notification_id() == head  # nothing recorded
    site.send(message, [to])  # what the sending server does with a 4xx
    assert [d["file_name"] for d in inbox(site, firm, client["id"])] == ["retry.pdf"]


def test_the_activation_page_tells_the_contact_person_the_inbox_address(site, firm):
    from urllib.request import urlopen

    client = site.new_client(firm)
    reply = firm.admin.post(f"/clients/{client['id']}/invitation")
    assert reply.status == 201, reply
    page_url = site.api.base.removesuffix("/api/v1") + reply.json["link"]
    with urlopen(page_url, timeout=10) as page:
        html = page.read().decode()
    assert site.address(client["id"]) in html


def test_the_api_gives_the_clients_inbox_address_in_its_profile(site, firm):
    client = site.new_client(firm)
    reply = firm.admin.get(f"/clients/{client['id']}")
    assert reply.json["profile"]["inbox_address"] == site.address(client["id"])
