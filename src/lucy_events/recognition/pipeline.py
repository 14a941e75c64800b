"""One pipeline over a document's bytes: the first method that yields wins.

UBL (the XML itself) -> Factur-X / ZUGFeRD XML embedded in a PDF -> the PDF's text
layer -> OCR of images and image-only PDFs. Every result carries its method and a
confidence; when nothing can be read the method is ``none`` and ``reason`` says why.
Pure over bytes: no store, no clock beyond the time limit, no network.
"""

from __future__ import annotations

import time

from lucy_events.intake.media_types import JPEG, PDF, PNG, TIFF, UBL_XML, sniff
from lucy_events.peppol.xml import UnsafeOrMalformedXml
from lucy_events.recognition.cii import embedded_xml, read_cii
from lucy_events.recognition.fields import Recognition
from lucy_events.recognition.layout import layout_from_pages
from lucy_events.recognition.ocr import ocr_pages, ocr_unavailable_reason
from lucy_events.recognition.pdf_text import (
    TimeLimitExceeded,
    UnreadablePdf,
    has_text,
    pdf_pages,
)
from lucy_events.recognition.text_fields import read_text

#: The confidence of a perfect reading by each text method: OCR misreads characters.
PDF_TEXT_CEILING = 0.95
OCR_CEILING = 0.85
IMAGES = (PNG, JPEG, TIFF)


def unrecognised(reason: str) -> Recognition:
    return Recognition(method="none", confidence=0.0, reason=reason)


def recognise(
    content: bytes, media_type: str | None = None, *,
    own_numbers: frozenset[str] = frozenset(), time_limit: float = 60.0,
) -> Recognition:
    """The type and fields of a document. ``own_numbers`` are the client's enterprise
    and VAT numbers (any spelling): they tell a purchase from a sale."""
    deadline = time.monotonic() + time_limit
    if media_type not in (UBL_XML, PDF, *IMAGES):
        media_type = sniff(content)  # none given, or a vague one (octet-stream, text/xml)
    try:
        if media_type == UBL_XML:
            from lucy_events.recognition.ubl import read_ubl

            return read_ubl(content, own_numbers)
        if media_type == PDF:
            return _pdf(content, own_numbers, deadline)
        if media_type in IMAGES:
            return _ocr(content, media_type, own_numbers, deadline)
    except UnsafeOrMalformedXml as error:
        return unrecognised(str(error))
    except UnreadablePdf as error:
        return unrecognised(str(error))
    except TimeLimitExceeded as error:
        return unrecognised(f"{error} (limit {time_limit:g} s)")
    return unrecognised("the file is not a PDF, PNG, JPEG, TIFF or UBL invoice")


def _pdf(content: bytes, own_numbers: frozenset[str], deadline: float) -> Recognition:
    xml = embedded_xml(content)
    if xml is not None:
        try:
            reading = read_cii(xml, own_numbers)
        except UnsafeOrMalformedXml:
            reading = None  # a broken attachment: the PDF's own text may still be read
        if reading is not None:
            return reading
    pages = pdf_pages(content, deadline)
    if has_text(pages):
        return read_text(layout_from_pages(pages), "pdf-text", PDF_TEXT_CEILING, own_numbers)
    return _ocr(content, PDF, own_numbers, deadline)


def _ocr(
    content: bytes, media_type: str, own_numbers: frozenset[str], deadline: float,
) -> Recognition:
    missing = ocr_unavailable_reason()
    if missing is not None:
        return unrecognised(missing)
    pages = ocr_pages(content, media_type, deadline)
    if not has_text(pages):
        return Recognition(method="ocr", confidence=0.0, document_type=None,
                           reason="OCR found no readable text on the scan")
    return read_text(layout_from_pages(pages), "ocr", OCR_CEILING, own_numbers)
