"""What a mail holds for the inbox: who it says it is from, its subject and Message-ID,
and the attachments that can become documents. Pure: bytes in, values out.

Which parts are attachments:
- every leaf part, also inside a forwarded message (message/rfc822), at any depth;
- except the text and HTML bodies, and inline parts with a Content-ID that are not
  marked as attachments (the logo in a signature, an image the HTML shows);
- and only when its content is a PDF, PNG, JPEG, TIFF or UBL XML (``media_types``: the
  bytes decide, not the name or the declared type). Other files are listed as skipped.

Parsed with the ``compat32`` policy, decoding only the few headers read here: the
default policy's header objects took a third of the intake's time per mail
(bench/intake.py), for headers nobody looks at; with long base64 bodies folded out of
the parser's way (``mime_parse``); and base64 parts decoded by ``pybase64`` (``_content``).
"""

from __future__ import annotations

import binascii
import contextlib
import email.errors
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses
from pathlib import PurePosixPath, PureWindowsPath

import pybase64

from lucy_events.intake.media_types import EXTENSIONS, sniff
from lucy_events.intake.mime_parse import parse_mail

#: Defects that leave the structure (and so which bytes an attachment holds) unknown.
_BROKEN = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
)
_BODIES = ("text/plain", "text/html")


class MalformedMail(ValueError):
    """Raised when a message cannot be read as MIME; the message says what is wrong
    (for the SMTP reply and the log: never the content)."""


@dataclass(frozen=True)
class Attachment:
    file_name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class MailContents:
    from_address: str
    subject: str
    message_id: str
    attachments: tuple[Attachment, ...]
    #: File names of the parts that looked like attachments but are no document.
    skipped: tuple[str, ...]

    @property
    def from_domain(self) -> str:
        return self.from_address.rpartition("@")[2]


def read_mail(raw: bytes) -> MailContents:
    """The mail's sender, subject, Message-ID and usable attachments, or ``MalformedMail``."""
    message = parse_mail(raw)
    from_address = _from_address(message)
    attachments: list[Attachment] = []
    skipped: list[str] = []
    for part in message.walk():
        _check_structure(part)
        if part.is_multipart() or not _is_attachment(part):
            continue
        content = _content(part)
        media_type = sniff(content)
        name = _file_name(part, media_type, len(attachments) + len(skipped) + 1)
        if media_type is None:
            skipped.append(name)
        else:
            attachments.append(Attachment(name, media_type, content))
    return MailContents(
        from_address=from_address, subject=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"), attachments=tuple(attachments),
        skipped=tuple(skipped),
    )


def _content(part: Message) -> bytes:
    """The part's bytes, its transfer encoding undone.

    Base64, nearly every attachment's, is decoded here: the standard library's decoding
    (the lines joined, then ``binascii.a2b_base64`` in strict mode) was half the MIME
    work on a mail with a 100 KB PDF, ``pybase64``'s SIMD decoding takes a fortieth of
    that (docs/benchmarks.md, session 7). The rule stays the standard library's: the
    joined lines must be whole groups of four and strict base64, or the mail is
    malformed (there, a defect, which made it malformed all the same); where pybase64 is
    stricter (``=`` after the last group) binascii decides, as it did.
    ``tests/unit/test_mail_contents.py`` holds both to the same outcome. Other transfer
    encodings are the standard library's."""
    encoded = part.get_payload()
    if (str(part.get("Content-Transfer-Encoding", "")).lower() == "base64"
            and isinstance(encoded, str)):
        try:
            data = encoded.encode("ascii").translate(None, b"\r\n")
            if len(data) % 4:
                raise binascii.Error("not whole groups of four")
            try:
                return pybase64.b64decode(data, validate=True)
            except binascii.Error:
                return binascii.a2b_base64(data, strict_mode=True)
        except (UnicodeEncodeError, binascii.Error):
            raise MalformedMail("broken MIME structure (a part's base64 is broken)"
                                ) from None
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes):
        raise MalformedMail(f"a part of type {part.get_content_type()} cannot be decoded")
    return content


def _check_structure(part: Message) -> None:
    for defect in part.defects:
        if isinstance(defect, _BROKEN):
            raise MalformedMail(f"broken MIME structure ({type(defect).__name__})")


def _decoded(value: object) -> str:
    """A header's text, RFC 2047 encoded words decoded, on one line."""
    text = str(value)
    with contextlib.suppress(ValueError, LookupError, UnicodeError):  # else as it was sent
        text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return _decoded(value) if value is not None else ""


def _from_address(message: Message) -> str:
    values = message.get_all("From") or []
    addresses = [address for _, address in getaddresses([str(v) for v in values])
                 if "@" in address]
    if not addresses:
        raise MalformedMail("the mail has no From address")
    return addresses[0].strip().lower()


def _is_attachment(part: Message) -> bool:
    disposition = part.get_content_disposition()
    if disposition == "attachment":
        return True
    if part.get("Content-ID") and disposition != "attachment":
        return False  # shown inside the HTML body: a logo, not a document
    return part.get_content_type() not in _BODIES or part.get_filename() is not None


def _file_name(part: Message, media_type: str | None, number: int) -> str:
    try:
        filename = part.get_filename()
        given = _decoded(filename) if filename else None
    except (ValueError, IndexError, TypeError):
        given = None
    # A name is the sender's claim: keep only its last path segment, printable.
    name = PureWindowsPath(PurePosixPath(given or "").name).name if given else ""
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:255]
    if name:
        return name
    return f"attachment-{number}{EXTENSIONS.get(media_type or '', '.bin')}"
