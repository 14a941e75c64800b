"""The Peppol envelope: a UBL Invoice or CreditNote inside a Standard Business Document
header, as access points hand documents over (Peppol Envelope Specification 2.0).

The header names the sender and receiver by their participant ids (``0208:0403170701``,
authority ``iso6523-actorid-upis``), identifies this document by a unique
``InstanceIdentifier`` (the delivery key: the same document sent again carries the same
one, so an access point can refuse the second), and says what it is in the
``BusinessScope``: the BIS 3 document type id (``DOCUMENTID``), the billing process
(``PROCESSID``) and the sender's country (``COUNTRY_C1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from lucy_events.peppol.xml import SBD_NS, UBL_ROOTS, parse_untrusted, ubl_document

PARTICIPANT_SCHEME = "iso6523-actorid-upis"
DOCUMENT_SCHEME = "busdox-docid-qns"
PROCESS_SCHEME = "cenbii-procid-ubl"
UBL_VERSION = "2.1"


@dataclass(frozen=True)
class Envelope:
    """Who sends to whom, and this document's unique id."""

    sender: str
    receiver: str
    instance_identifier: str
    country_c1: str
    created: datetime


def document_type_id(ubl: etree._Element) -> str:
    """``<namespace>::<root>##<CustomizationID>::2.1``, e.g. the BIS 3 invoice's
    ``urn:oasis:...:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:
    peppol.eu:2017:poacc:billing:3.0::2.1``."""
    namespace, root = ubl.tag[1:].split("}", 1)
    return f"{namespace}::{root}##{_cbc(ubl, 'CustomizationID')}::{UBL_VERSION}"


def process_id(ubl: etree._Element) -> str:
    return _cbc(ubl, "ProfileID")


def wrap(ubl: bytes, envelope: Envelope) -> bytes:
    """``ubl`` (a UBL Invoice or CreditNote) inside its Standard Business Document."""
    document = parse_untrusted(ubl, "ubl")
    if document.tag not in UBL_ROOTS:
        raise ValueError("only a UBL Invoice or CreditNote goes inside an envelope")
    namespace, root_name = document.tag[1:].split("}", 1)
    root = etree.Element(f"{{{SBD_NS}}}StandardBusinessDocument", nsmap={None: SBD_NS})
    header = _add(root, "StandardBusinessDocumentHeader")
    _add(header, "HeaderVersion", "1.0")
    for role, participant in (("Sender", envelope.sender), ("Receiver", envelope.receiver)):
        _add(_add(header, role), "Identifier", participant, Authority=PARTICIPANT_SCHEME)
    identification = _add(header, "DocumentIdentification")
    _add(identification, "Standard", namespace)
    _add(identification, "TypeVersion", UBL_VERSION)
    _add(identification, "InstanceIdentifier", envelope.instance_identifier)
    _add(identification, "Type", root_name)
    _add(identification, "CreationDateAndTime",
         envelope.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    scope = _add(header, "BusinessScope")
    for kind, value, scheme in (
        ("DOCUMENTID", document_type_id(document), DOCUMENT_SCHEME),
        ("PROCESSID", process_id(document), PROCESS_SCHEME),
        ("COUNTRY_C1", envelope.country_c1, None),
    ):
        element = _add(scope, "Scope")
        _add(element, "Type", kind)
        _add(element, "InstanceIdentifier", value)
        if scheme:
            _add(element, "Identifier", scheme)
    root.append(document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Header:
    """What a receiver reads back from an envelope."""

    sender: str
    receiver: str
    instance_identifier: str
    document_type_id: str
    process_id: str


def read_header(content: bytes) -> Header:
    """The header of a Standard Business Document (its UBL is checked to be there)."""
    root = parse_untrusted(content, "document")
    ubl_document(root)
    ns = {"sbd": SBD_NS}

    def text(path: str) -> str:
        return str(root.findtext(f"sbd:StandardBusinessDocumentHeader/{path}", "",
                                 ns)).strip()

    scopes = {str(s.findtext("sbd:Type", "", ns)): str(s.findtext("sbd:InstanceIdentifier",
                                                                 "", ns))
              for s in root.iterfind("sbd:StandardBusinessDocumentHeader/sbd:BusinessScope/"
                                     "sbd:Scope", ns)}
    return Header(text("sbd:Sender/sbd:Identifier"), text("sbd:Receiver/sbd:Identifier"),
                  text("sbd:DocumentIdentification/sbd:InstanceIdentifier"),
                  scopes.get("DOCUMENTID", ""), scopes.get("PROCESSID", ""))


def _cbc(ubl: etree._Element, tag: str) -> str:
    cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    value = ubl.findtext(f"{{{cbc}}}{tag}")
    if not value:
        raise ValueError(f"the UBL has no {tag}")
    return value.strip()


def _add(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{SBD_NS}}}{tag}", attributes)
    element.text = text
    return element
