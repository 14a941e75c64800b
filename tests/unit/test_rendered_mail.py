"""A document e-mail written straight to bytes reads back, with the standard library's
parser, as the message it stands for."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from uuid import uuid4

from lucy_events.notifications.rendered import Attachment, render_mail
from lucy_events.routers.integrations.base import Outgoing, Target
from lucy_events.routers.integrations.email import render

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 200 + b"\n%%EOF\n"


def parsed(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage) and not message.defects
    return message


def outgoing(**overrides: object) -> Outgoing:
    values: dict[str, object] = dict(
        document_id=uuid4(), client_id=uuid4(), firm_id=uuid4(),
        client_name="Bakkerij Janssens BV", client_vat="BE0123456749",
        client_enterprise_number="0123456749", file_name="invoice-2026-117.pdf",
        media_type="application/pdf", content=PDF, document_type="purchase-invoice",
        received_at=datetime(2026, 3, 2, tzinfo=UTC))
    values.update(overrides)
    return Outgoing(**values)  # type: ignore[arg-type]


def test_a_document_mail_reads_back_with_its_headers_text_and_attachment():
    document = outgoing()
    mail = render(document, Target("clearfacts", "email", {"purchase_address": "in@cf.test"}),
                  "documents@lucy.test")
    message = parsed(mail.data)
    assert (mail.sender, mail.recipient) == ("documents@lucy.test", "in@cf.test")
    assert message["From"] == "documents@lucy.test" and message["To"] == "in@cf.test"
    assert message["Message-ID"] == mail.message_id == (
        f"<lucy-{document.document_id.hex}@lucy-events>")
    assert message["Subject"] == "Bakkerij Janssens BV: invoice-2026-117.pdf"
    assert message["X-Lucy-Document-Type"] == "purchase-invoice"
    assert message["X-Lucy-Firm"] == str(document.firm_id)
    assert message["Date"].datetime.tzinfo is not None
    body = message.get_body(("plain",))
    # On the wire a text's lines end in CRLF, and the parser keeps them.
    assert body is not None and body.get_content().replace("\r\n", "\n") == (
        "purchase-invoice for Bakkerij Janssens BV (BE0123456749), received 2026-03-02.\n")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice-2026-117.pdf"
    assert attachment.get_content() == PDF
    assert all(len(line) <= 998 for line in mail.data.split(b"\r\n"))
    assert b"\n" not in mail.data.replace(b"\r\n", b"")


def test_names_outside_ascii_are_encoded_and_read_back_as_they_were():
    name = "Boulangerie Élodie & Søn — 北京 " + "x" * 120
    file_name = 'facture "été" №17 ' + "é" * 80 + ".pdf"
    mail = render(outgoing(client_name=name, file_name=file_name),
                  Target("clearfacts", "email", {"purchase_address": "in@cf.test"}),
                  "documents@lucy.test")
    message = parsed(mail.data)
    assert message["Subject"] == f"{name}: {file_name}"
    body = message.get_body(("plain",))
    assert body is not None and name in body.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == file_name and attachment.get_content() == PDF
    assert all(len(line) <= 998 for line in mail.data.split(b"\r\n"))


def test_a_line_break_in_a_value_never_adds_a_header():
    mail = render_mail(
        sender="a@lucy.test", recipient="b@lucy.test", message_id="<m@lucy>",
        subject="Invoice\r\nBcc: victim@evil.test", text="hello\n",
        attachment=Attachment("a\r\nX-Evil: 1.pdf", "application/pdf\r\nX-Evil: 2", b"%PDF"))
    message = parsed(mail.data)
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"].startswith("Invoice") and "victim@evil.test" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/octet-stream"
    assert attachment.get_filename() == "a\r\nX-Evil: 1.pdf"
