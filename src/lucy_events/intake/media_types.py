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


# The vault keeps what a firm shares with its client (tax returns, annual accounts,
# reports): the document kinds above, and office files and plain text besides. They are
# told from the content too; only text, which has no signature, takes CSV from its name.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv"
TEXT = "text/plain"
VAULT_ACCEPTED = (*ACCEPTED, XLSX, DOCX, CSV, TEXT)
_OFFICE_PARTS = ((b"xl/workbook.xml", XLSX), (b"word/document.xml", DOCX))
#: Text with a control character other than tab, line feed, form feed or carriage
#: return is not a text file.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _office(content: bytes) -> str | None:
    import io
    import zipfile

    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = {name.encode() for name in archive.namelist()}
    except (zipfile.BadZipFile, ValueError):
        return None
    if b"[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OFFICE_PARTS if part in names), None)


def _text(content: bytes, file_name: str) -> str | None:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(content):
        return None
    return CSV if file_name.lower().endswith(".csv") else TEXT


def vault_media_type(content: bytes, file_name: str, field: str = "file") -> str:
    """The media type of a file shared in a client's vault, or ``UnsupportedMediaType``."""
    if not content:
        raise UnsupportedMediaType(field, "is empty (0 bytes)")
    media_type = sniff(content) or _office(content) or _text(content, file_name)
    if media_type is None:
        raise UnsupportedMediaType(
            field, "is not a PDF, PNG, JPEG, TIFF, UBL XML, XLSX, DOCX, CSV or text file"
        )
    return media_type
