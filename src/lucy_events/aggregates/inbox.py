"""A client's inbox address and its quarantine: the rules, kept apart from client.py.

The address's local part is derived once from what the client was created with (its
name then, and its id), so it never changes: renaming a client must not break the
address its suppliers already use. The id's first hex digits keep two clients of the
same name apart. Nothing is stored for it, so every client that ever existed has one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from lucy_events.aggregates.errors import NotFound

#: Hex digits of the client id in the local part (16.7 million per name).
ID_DIGITS = 6
#: Room for the name in the local part (RFC 5321 allows 64 characters in all).
NAME_CHARACTERS = 40


class QuarantinedMailNotFound(NotFound):
    """Raised when the client has no quarantined mail with the id (or it was already
    released or discarded)."""


def inbox_local_part(name: str, client_id: UUID) -> str:
    """``bakkerij-claes-3f2a1c`` for Bakkerij Claes: ASCII, lower case, hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:NAME_CHARACTERS].rstrip("-") or "client"
    return f"{slug}-{client_id.hex[:ID_DIGITS]}"


@dataclass(frozen=True)
class QuarantinedMail:
    """A mail kept out of the client's inbox, with why, until an admin decides."""

    mail_id: UUID
    received_at: datetime
    sender: str
    subject: str
    message_id: str
    reason: str
    raw_blob_ref: str
    raw_size: int
    attachments: tuple[str, ...]
