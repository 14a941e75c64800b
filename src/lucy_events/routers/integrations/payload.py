"""What an adapter puts on the wire for a document: which file, under which name, and on
which side of the books (purchase or sales) it belongs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lucy_events.routers.integrations.base import Outgoing

SALES_TYPES = frozenset({"sales-invoice", "sales-credit-note"})
UBL_MEDIA_TYPE = "application/xml"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Payload:
    file_name: str
    media_type: str
    content: bytes = field(repr=False)


def is_sales(document_type: str) -> bool:
    """Every type that is not a sales document goes to the purchase side, as with the
    packages' own mail-in addresses: purchase invoices and credit notes, receipts, bank
    statements and anything else the accountant will sort out."""
    return document_type in SALES_TYPES


def payload_of(outgoing: Outgoing) -> Payload:
    """The PDF as received, or the UBL (as ``.xml``) when the client chose UBL."""
    if outgoing.ubl is not None:
        stem = PurePosixPath(outgoing.file_name).stem or "document"
        return Payload(f"{stem}.xml", UBL_MEDIA_TYPE, outgoing.ubl)
    return Payload(outgoing.file_name, outgoing.media_type, outgoing.content)


def safe_name(value: str, *, default: str = "document", limit: int = 100) -> str:
    """ASCII letters, digits, dot, dash and underscore only, never starting with a dot,
    so a name is valid on every server and cannot climb out of its folder."""
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_only).strip(".-_")
    return (cleaned or default)[:limit].rstrip(".-_") or default


def remote_file_name(outgoing: Outgoing) -> str:
    """The name the document gets at the package: its delivery key, then its own name,
    so the same document always lands under the same name."""
    return f"{outgoing.delivery_key}-{safe_name(payload_of(outgoing).file_name)}"
