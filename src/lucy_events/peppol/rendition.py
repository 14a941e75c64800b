"""The human-readable rendition inside a UBL invoice: the first embedded PDF (pure)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from lxml import etree

from lucy_events.peppol.parties import NS


@dataclass(frozen=True)
class Rendition:
    file_name: str
    media_type: str
    content: bytes


def embedded_pdf(ubl: etree._Element) -> Rendition | None:
    """The first ``AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject``
    whose mime code is PDF and whose content decodes to a PDF; None when there is none."""
    path = "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    for element in ubl.iterfind(path, NS):
        if (element.get("mimeCode") or "").lower() != "application/pdf":
            continue
        try:
            content = base64.b64decode("".join((element.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if content.startswith(b"%PDF"):
            name = (element.get("filename") or "rendition.pdf").replace("\\", "/")
            return Rendition(name.rsplit("/", 1)[-1][:255] or "rendition.pdf",
                             "application/pdf", content)
    return None
