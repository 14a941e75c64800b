"""The Peppol envelope: a UBL document inside a Standard Business Document header, as
access points hand documents over (sender and receiver participant ids, document type
and process ids)."""

from __future__ import annotations

import random
import uuid

from lxml import etree

from lucy_events.samples.model import Invoice, Party
from lucy_events.samples.ubl import CUSTOMIZATION, LEGAL_SCHEMES, PROFILE, ROOT_NS, VAT_SCHEMES

SBD = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"


def participant(party: Party) -> str:
    """The party's Peppol participant id (``0208:0403170701``, ``9925:BE0403170701``)."""
    scheme = LEGAL_SCHEMES.get(party.country)
    if scheme and party.enterprise_number:
        return f"{scheme}:{party.enterprise_number}"
    return f"{VAT_SCHEMES[party.country]}:{party.vat}"


def _add(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{SBD}}}{tag}", attributes)
    element.text = text
    return element


def wrap(invoice: Invoice, ubl: bytes, rng: random.Random) -> bytes:
    """``ubl`` (the invoice's UBL) inside a Standard Business Document."""
    root_name = "CreditNote" if invoice.kind == "credit-note" else "Invoice"
    root = etree.Element(f"{{{SBD}}}StandardBusinessDocument", nsmap={None: SBD})
    header = _add(root, "StandardBusinessDocumentHeader")
    _add(header, "HeaderVersion", "1.0")
    for role, party in (("Sender", invoice.supplier), ("Receiver", invoice.customer)):
        _add(_add(header, role), "Identifier", participant(party),
             Authority="iso6523-actorid-upis")
    identification = _add(header, "DocumentIdentification")
    _add(identification, "Standard", ROOT_NS[invoice.kind])
    _add(identification, "TypeVersion", "2.1")
    _add(identification, "InstanceIdentifier", str(uuid.UUID(int=rng.getrandbits(128),
                                                              version=4)))
    _add(identification, "Type", root_name)
    _add(identification, "CreationDateAndTime", f"{invoice.issue_date.isoformat()}T09:00:00Z")
    scope = _add(header, "BusinessScope")
    for kind, value, scheme in (
        ("DOCUMENTID", f"{ROOT_NS[invoice.kind]}::{root_name}##{CUSTOMIZATION}::2.1",
         "busdox-docid-qns"),
        ("PROCESSID", PROFILE, "cenbii-procid-ubl"),
        ("COUNTRY_C1", invoice.supplier.country, None),
    ):
        element = _add(scope, "Scope")
        _add(element, "Type", kind)
        _add(element, "InstanceIdentifier", value)
        if scheme:
            _add(element, "Identifier", scheme)
    root.append(etree.fromstring(ubl))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
