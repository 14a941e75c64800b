"""Which parts of a mail become documents: the bytes decide, forwards are opened, the
text body and a signature's logo are not documents, a broken structure is refused."""

from __future__ import annotations

import base64
import email
import email.policy
import random

import pytest

from lucy_events.intake.mail_contents import MalformedMail, read_mail
from lucy_events.intake.media_types import sniff
from tests.mails import PDF, PNG, UBL, forwarded, mail


def test_each_pdf_png_and_ubl_attachment_is_a_document_with_its_type_from_the_bytes():
    raw = mail(attachments=[("a.pdf", "application/pdf", PDF),
                            ("scan.png", "application/octet-stream", PNG),
                            ("invoice.txt", "text/plain", UBL)]).as_bytes()
    contents = read_mail(raw)
    assert [(a.file_name, a.media_type) for a in contents.attachments] == [
        ("a.pdf", "application/pdf"), ("scan.png", "image/png"),
        ("invoice.txt", "application/xml")]
    assert contents.attachments[0].content == PDF


def test_sender_subject_and_message_id_are_read_from_the_headers():
    message = mail(sender="AP@Supplier.Example", subject="Factuur 12")
    contents = read_mail(message.as_bytes())
    assert contents.from_address == "ap@supplier.example"
    assert contents.from_domain == "supplier.example"
    assert contents.subject == "Factuur 12"
    assert contents.message_id == message["Message-ID"]


def test_an_attachment_inside_a_forwarded_message_is_a_document():
    inner = mail(sender="ap@supplier.example",
                 attachments=[("inner.pdf", "application/pdf", PDF)])
    contents = read_mail(forwarded(inner, sender="boss@client.example",
                                   to="x@inbox.test").as_bytes())
    assert [a.file_name for a in contents.attachments] == ["inner.pdf"]
    assert contents.from_address == "boss@client.example"


def test_a_file_of_another_kind_is_skipped_not_taken():
    contents = read_mail(mail(attachments=[("notes.docx", "application/msword",
                                            b"PK\x03\x04 word")]).as_bytes())
    assert contents.attachments == () and contents.skipped == ("notes.docx",)


def test_an_inline_logo_with_a_content_id_is_not_a_document():
    message = mail(attachments=[])
    message.add_alternative("<p>Hi <img src='cid:logo'></p>", subtype="html")
    html = message.get_payload()[-1]
    html.add_related(PNG, maintype="image", subtype="png", cid="<logo>")
    assert read_mail(message.as_bytes()).attachments == ()


def test_a_path_in_an_attachment_name_is_dropped_and_a_missing_name_is_made_up():
    message = mail(attachments=[("../../etc/passwd.pdf", "application/pdf", PDF)])
    message.add_attachment(PDF, maintype="application", subtype="pdf")
    names = [a.file_name for a in read_mail(message.as_bytes()).attachments]
    assert names == ["passwd.pdf", "attachment-2.pdf"]


def test_a_multipart_without_its_boundary_is_malformed():
    raw = (b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody\r\n--x--\r\n")
    with pytest.raises(MalformedMail, match="broken MIME structure"):
        read_mail(raw)


def test_an_attachment_whose_base64_is_broken_is_malformed():
    raw = (b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!LjQK=\r\n--b--\r\n")
    with pytest.raises(MalformedMail):
        read_mail(raw)


def test_a_mail_without_a_from_address_is_malformed():
    with pytest.raises(MalformedMail, match="no From address"):
        read_mail(b"Subject: x\r\n\r\nhello\r\n")


def test_encoded_words_in_the_subject_and_file_name_are_decoded():
    raw = (b"From: =?utf-8?q?Fran=C3=A7ois?= <ap@supplier.example>\r\n"
           b"Subject: =?utf-8?q?Factuur_=E2=82=AC_12?=\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"\r\n"
           b"\r\n%PDF-1.4 x\r\n--b--\r\n")
    contents = read_mail(raw)
    assert contents.subject == "Factuur € 12"
    assert contents.from_address == "ap@supplier.example"
    assert [a.file_name for a in contents.attachments] == ["résumé.pdf"]


def attachment_encoded(body: bytes, encoding: bytes = b"base64") -> bytes:
    return (b"From: a@b.example\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
            b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body + b"\r\n--b--\r\n")


def standard_library_decoding(raw: bytes) -> bytes | None:
    """The attachment as the standard library decodes it; None when that records a defect
    (which made the mail malformed)."""
    part = email.message_from_bytes(raw, policy=email.policy.compat32).get_payload()[0]
    content = part.get_payload(decode=True)
    return None if part.defects else content


def taken(raw: bytes) -> bytes:
    """What ``read_mail`` made of the one attachment, document or not."""
    contents = read_mail(raw)
    return contents.attachments[0].content if contents.attachments else b"<skipped>"


PDF_BASE64 = base64.encodebytes(PDF + b"0123456789").replace(b"\n", b"\r\n").rstrip()
BODIES = [
    PDF_BASE64, PDF_BASE64.replace(b"\r\n", b"\n"), PDF_BASE64.replace(b"\r\n", b""),
    PDF_BASE64.replace(b"\r\n", b"\r\n\r\n"), PDF_BASE64 + b"\r\n", b"", b"QQ==", b"QUI=",
    b"QUJD", b"QR==", b"QUK=", b"QQ", b"QUI", b"Q", b"QUJDR", b"QQ=", b"QQ===", b"====",
    b"=QQ=", b"QQ==QUJD", b"QQ==\r\nQUJD", b"QU I=", b"QUI=\t", b"QU\xe9I", b"QU!I",
    b"QUJD\r\n=", b"Q=J=", b"QUJD====", b"QUJD==", b"QQ======", b"QUJDQQ==", b"QUJDQ===",
    b"QUI==", b"QUJD=\r\n", PDF_BASE64[:-1], PDF_BASE64 + b"=", PDF_BASE64 + b"====",
    PDF_BASE64[:40] + b"*" + PDF_BASE64[40:], PDF_BASE64[:40] + b" " + PDF_BASE64[40:],
    PDF_BASE64[:40] + b"=" + PDF_BASE64[40:], PDF_BASE64[:40] + b"-_" + PDF_BASE64[42:],
]


@pytest.mark.parametrize("body", BODIES)
def test_a_base64_attachment_is_taken_as_the_standard_library_decodes_it_or_refused(body):
    raw = attachment_encoded(body)
    expected = standard_library_decoding(raw)
    if expected is None:  # a defect: the mail was refused before, and still is
        with pytest.raises(MalformedMail, match="broken MIME structure"):
            read_mail(raw)
    else:
        assert taken(raw) in (expected, b"<skipped>")
        assert read_mail(raw).skipped == (() if sniff(expected) else ("a.pdf",))


@pytest.mark.parametrize("seed", range(40))
def test_random_base64_attachments_decode_to_the_standard_library_s_bytes(seed):
    rng = random.Random(seed)
    content = PDF + rng.randbytes(rng.randint(0, 5000))
    encoded = base64.b64encode(content)
    width = rng.choice([4, 60, 76, 300])
    body = b"\r\n".join(encoded[i:i + width] for i in range(0, len(encoded), width))
    raw = attachment_encoded(body)
    assert taken(raw) == standard_library_decoding(raw) == content


def test_a_quoted_printable_attachment_is_decoded_by_the_standard_library():
    raw = attachment_encoded(b"%PDF-1.4 caf=C3=A9=\r\n and more", b"quoted-printable")
    assert taken(raw) == b"%PDF-1.4 caf\xc3\xa9 and more"
