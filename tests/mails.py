"""Mails as clients and their suppliers send them: attachments, forwards, DKIM
signatures made with a key generated for the test run."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PDF = b"%PDF-1.4\n% a supplier's invoice\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
UBL = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns='
       b'"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>F-1</ID></Invoice>')


def wire(message: EmailMessage) -> bytes:
    """The message as it travels over SMTP: CRLF line ends (smtplib sends bytes as is)."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def mail(*, sender: str = "ap@supplier.example", to: str = "inbox@inbox.test",
         subject: str = "Invoice F-2026-001",
         attachments: list[tuple[str, str, bytes]] | None = None) -> EmailMessage:
    """A mail with a text body and the attachments given (file name, type, bytes)."""
    message = EmailMessage()
    message["From"] = f"Supplier Accounts <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content("Please find our invoice attached.\n")
    if attachments is None:
        attachments = [("invoice.pdf", "application/pdf", PDF)]
    for name, media_type, content in attachments:
        main, _, sub = media_type.partition("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message


def forwarded(inner: EmailMessage, *, sender: str, to: str) -> EmailMessage:
    """``inner`` forwarded as an attachment (message/rfc822)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = f"Fwd: {inner['Subject']}"
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content("Forwarding the invoice below.\n")
    message.add_attachment(inner)
    return message


@dataclass(frozen=True)
class DkimKey:
    selector: str
    domain: str
    private_pem: bytes
    public_record: str

    def sign(self, message: EmailMessage) -> bytes:
        raw = wire(message)
        signature = dkim.sign(raw, self.selector.encode(), self.domain.encode(),
                              self.private_pem,
                              include_headers=[b"from", b"to", b"subject", b"message-id"])
        return bytes(signature) + raw

    @property
    def record_name(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"


def dkim_key(domain: str, selector: str = "mail") -> DkimKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption())
    public_der = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    record = f"v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode()}"
    return DkimKey(selector, domain, private_pem, record)
