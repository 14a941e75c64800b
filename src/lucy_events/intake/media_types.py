"""The media type of a document, told from its content, never from its name.

One rule for every channel (upload, e-mail attachment, Peppol): a sender's file name or
Content-Type header is a claim, the bytes are the fact.
"""

from __future__ import annotations

import re

from lucy_events.aggregates.errors import InvalidValue

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
UBL_XML = "application/xml"

ACCEPTED = (PDF, PNG, JPEG, TIFF, UBL_XML)
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TIFF: ".tif", UBL_XML: ".xml"}

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_UBL_ROOTS = (
    b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    b"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
)
_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<")
#: How far into an XML file its root element's namespace must appear (an SBD header
#: before the invoice is a few kB).
_XML_SNIFF_BYTES = 16_384


class UnsupportedMediaType(InvalidValue):
    """Raised when a file is none of the accepted kinds; the message says what it is."""


def sniff(content: bytes) -> str | None:
    """The accepted media type of ``content``, or None when it is none of them."""
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    head = content[:_XML_SNIFF_BYTES]
    if _XML_START.match(head) and any(root in head for root in _UBL_ROOTS):
        return UBL_XML
    return None


def accepted_media_type(content: bytes, field: str = "file") -> str:
    """The media type of an incoming file, or ``UnsupportedMediaType`` naming the field."""
    if not content:
        raise UnsupportedMediaType(field, "is empty (0 bytes)")
    media_type = sniff(content)
    if media_type is None:
        raise UnsupportedMediaType(
            field, "is not a PDF, PNG, JPEG, TIFF or UBL Invoice/CreditNote XML file"
        )
    return media_type
