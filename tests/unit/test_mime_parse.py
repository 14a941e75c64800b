"""``parse_mail`` folds long base64 runs out of the standard parser's way: whatever the
mail, it must build the very Message the plain ``compat32`` parse builds."""

from __future__ import annotations

import base64
import email
import email.policy
import os
import random
from email.message import EmailMessage, Message

import pytest

from lucy_events.intake.mime_parse import MIN_LINES, parse_mail
from tests.mails import PDF, forwarded, mail, wire


def plain(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def shape(message: Message) -> object:
    """Everything the parse decides, as plain values (Messages compare by identity)."""
    payload = message._payload  # type: ignore[attr-defined]
    return (
        message.get_unixfrom(), message.items(), message.preamble, message.epilogue,
        [type(defect).__name__ for defect in message.defects],
        [shape(part) for part in payload] if isinstance(payload, list) else payload,
    )


def assert_same_parse(raw: bytes) -> None:
    assert shape(parse_mail(raw)) == shape(plain(raw))


def base64_lines(size: int, seed: int = 0) -> bytes:
    encoded = base64.encodebytes(random.Random(seed).randbytes(size))
    return encoded.replace(b"\n", b"\r\n")


def big_pdf(size: int = 100 * 1024) -> bytes:
    return PDF + os.urandom(size)


def test_a_mail_with_a_100_kb_pdf_parses_as_the_standard_library_parses_it():
    message = mail(attachments=[("invoice.pdf", "application/pdf", big_pdf())])
    assert_same_parse(wire(message))
    assert_same_parse(message.as_bytes())  # bare LF line ends
    assert parse_mail(wire(message)).get_payload()[1].get_payload(decode=True) == (
        message.get_payload()[1].get_content())


def test_a_forwarded_mail_with_a_large_attachment_parses_the_same():
    inner = mail(attachments=[("inner.pdf", "application/pdf", big_pdf(30_000))])
    assert_same_parse(wire(forwarded(inner, sender="boss@client.example", to="x@inbox.test")))


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_runs_in_a_text_body_the_preamble_and_the_epilogue_come_back_where_they_were(eol):
    run = eol.join(b"CODE%04dABC" % n for n in range(MIN_LINES + 3))
    raw = eol.join([
        b"From: a@b.example", b"Subject: codes", b"MIME-Version: 1.0",
        b'Content-Type: multipart/mixed; boundary="xyz"', b"", run, b"--xyz",
        b"Content-Type: text/plain", b"", b"Our codes:", run, b"--xyz",
        b"Content-Type: application/pdf", b"Content-Transfer-Encoding: base64", b"",
        base64_lines(4000).replace(b"\r\n", eol).rstrip(), b"--xyz--", run, b"",
    ])
    assert_same_parse(raw)
    assert_same_parse(raw.rstrip())  # the last run without its line end


def test_a_run_straight_after_the_headers_without_a_blank_line_keeps_its_defect():
    raw = b"From: a@b.example\r\nSubject: x\r\n" + base64_lines(2000)
    assert_same_parse(raw)
    assert [type(d).__name__ for d in parse_mail(raw).defects] == [
        "MissingHeaderBodySeparatorDefect"]


def test_line_ends_mixed_within_a_run_and_8_bit_bytes_beside_it_are_kept():
    lines = base64_lines(3000).split(b"\r\n")
    mixed = b"".join(line + (b"\n" if n % 3 else b"\r\n") for n, line in enumerate(lines))
    raw = (b"From: a@b.example\r\nContent-Type: text/plain; charset=latin-1\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 na\xefve\r\n" + mixed + b"\xe9\r\n")
    assert_same_parse(raw)


def test_a_body_that_holds_text_like_a_fold_marker_is_left_as_it_was():
    marker = b"lucyfold0123456789abcdefn000000"
    raw = (b"From: a@b.example\r\n\r\n" + marker + b"\r\n" + base64_lines(2000) + marker
           + b"\r\n")
    assert_same_parse(raw)


def test_a_broken_base64_attachment_is_as_broken_as_before():
    encoded = base64_lines(5000)
    broken = encoded[:1000] + b"!!" + encoded[1000:]
    raw = (b"From: a@b.example\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + broken + b"--b\r\n")  # no closing boundary either
    assert_same_parse(raw)
    folded, unfolded = parse_mail(raw), plain(raw)
    for ours, theirs in zip(folded.walk(), unfolded.walk(), strict=True):
        assert ours.get_payload(decode=True) == theirs.get_payload(decode=True)
        assert [type(d) for d in ours.defects] == [type(d) for d in theirs.defects]


def random_mail(rng: random.Random) -> bytes:
    """A mail of random shape: bodies, attachments, forwards, runs of every length."""
    def lines(count: int) -> str:
        alphabet = "ABCxyz019+/="
        return "\n".join("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
                         for _ in range(count))

    def build(depth: int) -> EmailMessage:
        message = mail(sender="ap@supplier.example", attachments=[])
        message.set_content(lines(rng.randint(0, 12)) or "empty")
        for n in range(rng.randint(0, 3)):
            kind = rng.choice(["pdf", "text", "forward" if depth < 2 else "pdf"])
            if kind == "pdf":
                message.add_attachment(big_pdf(rng.randint(0, 9000)), maintype="application",
                                       subtype="pdf", filename=f"f{n}.pdf")
            elif kind == "text":
                message.add_attachment(lines(rng.randint(0, 20)), filename=f"t{n}.txt")
            else:
                message.add_attachment(build(depth + 1))
        if message.is_multipart():
            message.preamble = lines(rng.randint(0, 10)) or None
            message.epilogue = lines(rng.randint(0, 10)) or None
        return message

    raw = build(0).as_bytes()
    return raw.replace(b"\n", b"\r\n") if rng.random() < 0.5 else raw


@pytest.mark.parametrize("seed", range(60))
def test_mails_of_random_shape_parse_as_the_standard_library_parses_them(seed):
    assert_same_parse(random_mail(random.Random(seed)))
