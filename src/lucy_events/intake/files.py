"""What a file must be to enter: a bare name, content of an accepted kind, within the limit.

One rule for every way in (the dashboard's and the API's uploads, the vault): the name
is the sender's claim and is only kept as a label, so it may not smuggle a path or a
NUL byte; the media type comes from the content (``media_types``); the size limit is
``LUCY_MAX_UPLOAD_BYTES``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.intake.media_types import accepted_media_type, vault_media_type

MAX_NAME_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FileTooLarge(InvalidValue):
    """Raised when a file is larger than the upload limit (HTTP 413)."""


class Destination(StrEnum):
    """Where the file goes, which decides the kinds it may be."""

    DOCUMENTS = "documents"
    VAULT = "vault"


@dataclass(frozen=True)
class IncomingFile:
    file_name: str
    content: bytes
    media_type: str


def size_text(size: int) -> str:
    return f"{size / 1_048_576:g} MB" if size >= 1_048_576 else f"{size} bytes"


def shown(name: str) -> str:
    """A name as an error message may show it: control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)[:MAX_NAME_LENGTH]


def valid_file_name(raw: str | None, field: str = "file") -> str:
    """The file's name as given, refused when it is no bare file name."""
    name = (raw or "").strip()
    if not name:
        raise InvalidValue(field, "has no file name")
    if "\x00" in name:
        raise InvalidValue(field, f'the name "{shown(name)}" contains a NUL byte')
    if "/" in name or "\\" in name:
        raise InvalidValue(field, f'the name "{shown(name)}" contains a path separator; '
                                  "send the bare file name")
    if _CONTROL.search(name):
        raise InvalidValue(field, f'the name "{shown(name)}" contains a control character')
    if name in (".", ".."):
        raise InvalidValue(field, f'"{name}" is not a file name')
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidValue(field, f"the name is longer than {MAX_NAME_LENGTH} characters")
    return name


def accepted_file(raw_name: str | None, content: bytes, *, limit: int,
                  destination: Destination = Destination.DOCUMENTS,
                  field: str = "file") -> IncomingFile:
    """The file as it will be stored, or an ``InvalidValue`` naming ``field`` and the file."""
    name = valid_file_name(raw_name, field)
    if len(content) > limit:
        raise FileTooLarge(field, f'"{name}" is larger than {size_text(limit)}, the limit')
    try:
        if destination is Destination.VAULT:
            media_type = vault_media_type(content, name, field)
        else:
            media_type = accepted_media_type(content, field)
    except InvalidValue as error:
        raise type(error)(field, f'"{name}" {error.message}') from None
    return IncomingFile(name, content, media_type)
