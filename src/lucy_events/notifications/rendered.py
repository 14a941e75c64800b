"""A document e-mail written straight to its bytes: headers, a short text and one
attachment, what the e-mail packages' mail-in addresses read.

The standard library's ``EmailMessage`` parses every header it is given (the header
registry), then its generator writes the 30 kB attachment out line by line: together
about 3.5 ms a document, the router's largest single cost (py-spy, docs/benchmarks.md).
This message has one fixed shape, so it is written in one pass instead (0.1 ms); the
result is plain MIME (RFC 2045-2047, 2231) that any parser reads back, checked by
tests/unit/test_rendered_mail.py with the standard library's parser. Header values are
encoded (RFC 2047) whenever they are not short printable ASCII, so a client's name can
never add a header or a line.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from email.header import Header
from email.utils import formatdate
from urllib.parse import quote
from uuid import uuid4

#: A header value written as it is: printable ASCII, no line break, short enough.
_PLAIN = re.compile(r"[\x20-\x7e]{0,900}")
#: A MIME token (RFC 2045): the media type's parts, nothing a header could be built from.
_TOKEN = re.compile(r"[A-Za-z0-9!#$&^_.+-]{1,100}")
CRLF = "\r\n"


@dataclass(frozen=True)
class RenderedMail:
    """A message ready for SMTP: its envelope and its bytes (CRLF line ends)."""

    sender: str
    recipient: str
    message_id: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Attachment:
    file_name: str
    media_type: str
    content: bytes = field(repr=False)


def render_mail(
    *, sender: str, recipient: str, message_id: str, subject: str, text: str,
    attachment: Attachment, extra_headers: dict[str, str] | None = None,
) -> RenderedMail:
    """multipart/mixed: the text (UTF-8) and the attachment (base64)."""
    boundary = f"=_lucy_{uuid4().hex}"  # '_' never occurs in base64, so never in a body
    headers = [("From", sender), ("To", recipient), ("Subject", subject),
               ("Date", formatdate(localtime=False, usegmt=True)),
               ("Message-ID", message_id), *(extra_headers or {}).items()]
    body = text.encode()
    plain_text = body.isascii() and b"\r" not in body and all(
        len(line) < 900 for line in body.split(b"\n"))
    parts = [
        *(header(name, value) for name, value in headers),
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        f"Content-Transfer-Encoding: {'7bit' if plain_text else 'base64'}",
        "",
        text.replace("\n", CRLF) if plain_text else _base64_lines(body),
        f"--{boundary}",
        f"Content-Type: {_media_type(attachment.media_type)}",
        "Content-Transfer-Encoding: base64",
        f"Content-Disposition: attachment; {_file_name(attachment.file_name)}",
        "",
        _base64_lines(attachment.content),
        f"--{boundary}--",
        "",
    ]
    return RenderedMail(sender, recipient, message_id, CRLF.join(parts).encode("ascii"))


def header(name: str, value: str) -> str:
    """``Name: value``, RFC 2047-encoded (and folded) unless short printable ASCII."""
    if _PLAIN.fullmatch(value):
        return f"{name}: {value}"
    return f"{name}: " + Header(value, "utf-8", header_name=name).encode(linesep=CRLF)


def _media_type(media_type: str) -> str:
    maintype, _, subtype = media_type.partition("/")
    if _TOKEN.fullmatch(maintype) and _TOKEN.fullmatch(subtype):
        return f"{maintype}/{subtype}"
    return "application/octet-stream"


def _file_name(name: str) -> str:
    """The filename parameter: quoted when plain, else RFC 2231 (UTF-8, percent-encoded)
    in continuations of at most 60 characters on lines of their own."""
    if _PLAIN.fullmatch(name) and len(name) < 200 and not any(c in name for c in '"\\'):
        return f'filename="{name}"'
    chunks: list[str] = [""]
    for char in name:
        encoded = quote(char.encode(), safe="")
        if len(chunks[-1]) + len(encoded) > 60:
            chunks.append("")
        chunks[-1] += encoded
    chunks[0] = "utf-8''" + chunks[0]
    return f";{CRLF} ".join(f"filename*{n}*={chunk}" for n, chunk in enumerate(chunks))


def _base64_lines(content: bytes) -> str:
    """Base64 in lines of 76 characters (RFC 2045), CRLF between them (encoded at once:
    ``base64.encodebytes`` encodes 57 bytes a call)."""
    encoded = base64.b64encode(content).decode("ascii")
    return CRLF.join([encoded[i:i + 76] for i in range(0, len(encoded), 76)])
