"""Parsing untrusted XML safely, and finding the UBL document inside a Peppol envelope.

Every XML that arrives from outside goes through ``parse_untrusted``: no entity
expansion (billion laughs), no DTD, no network (XXE), and a size limit checked before
parsing.
"""

from __future__ import annotations

from lxml import etree

from lucy_events.aggregates.errors import InvalidValue

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
SBD_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
UBL_ROOTS = {f"{{{UBL_INVOICE_NS}}}Invoice", f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote"}
#: Larger than any real invoice with an embedded PDF rendition.
MAX_XML_BYTES = 100 * 1024 * 1024


class UnsafeOrMalformedXml(InvalidValue):
    """Raised when XML cannot be parsed safely; the message says why."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=True, remove_blank_text=False,
    )


def parse_untrusted(content: bytes, field: str = "document") -> etree._Element:
    """The root element of ``content``; refuses DTDs with entities, oversize and
    malformed XML with ``UnsafeOrMalformedXml`` naming ``field``."""
    if len(content) > MAX_XML_BYTES:
        raise UnsafeOrMalformedXml(field, f"is larger than {MAX_XML_BYTES} bytes")
    try:
        tree = etree.fromstring(content, _parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise UnsafeOrMalformedXml(field, f"is not well-formed XML ({error})") from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise UnsafeOrMalformedXml(field, "declares a DTD, which is not allowed")
    return tree.getroot()


def ubl_document(root: etree._Element, field: str = "document") -> etree._Element:
    """The UBL Invoice or CreditNote: ``root`` itself, or the one inside a Standard
    Business Document header."""
    if root.tag in UBL_ROOTS:
        return root
    if root.tag == f"{{{SBD_NS}}}StandardBusinessDocument":
        for child in root:
            if child.tag in UBL_ROOTS:
                return child
        raise UnsafeOrMalformedXml(field, "has a Standard Business Document header "
                                   "but no UBL Invoice or CreditNote inside")
    raise UnsafeOrMalformedXml(field, f"is not a UBL Invoice or CreditNote (root {root.tag})")
