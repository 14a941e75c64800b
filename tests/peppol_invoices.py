"""Peppol BIS 3 invoices for tests: the official examples, Belgian variants of them, and
variants that break one named rule each. Built with lxml from the official files."""

from __future__ import annotations

import base64
from pathlib import Path

from lxml import etree

EXAMPLES = Path(__file__).parent / "data" / "peppol-bis3-examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xml"))
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
SBD_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
CBC = f"{{{NS['cbc']}}}"
CAC = f"{{{NS['cac']}}}"


def be_number(first_eight: int) -> str:
    """A valid Belgian enterprise number (mod 97 check) from its first eight digits."""
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def example(name: str = "base-example.xml") -> bytes:
    return (EXAMPLES / name).read_bytes()


def _tree(content: bytes) -> etree._Element:
    return etree.fromstring(content)


def _party(root: etree._Element, side: str) -> etree._Element:
    party = root.find(f"cac:Accounting{side}Party/cac:Party", NS)
    assert party is not None
    return party


def _identify(party: etree._Element, enterprise_number: str, endpoint_scheme: str) -> None:
    endpoint = party.find("cbc:EndpointID", NS)
    assert endpoint is not None
    endpoint.set("schemeID", endpoint_scheme)
    endpoint.text = enterprise_number if endpoint_scheme == "0208" else f"BE{enterprise_number}"
    tax_id = party.find("cac:PartyTaxScheme/cbc:CompanyID", NS)
    assert tax_id is not None
    tax_id.text = f"BE{enterprise_number}"


def belgian(content: bytes | None = None, *, supplier: str | None = None,
            customer: str | None = None, customer_scheme: str = "0208",
            supplier_scheme: str = "9925") -> bytes:
    """The example with Belgian parties: enterprise numbers as participant ids."""
    root = _tree(content or example())
    if supplier:
        _identify(_party(root, "Supplier"), supplier, supplier_scheme)
    if customer:
        _identify(_party(root, "Customer"), customer, customer_scheme)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def edited(content: bytes, xpath: str, text: str | None) -> bytes:
    """``content`` with the element at ``xpath`` given ``text``, or removed (None)."""
    root = _tree(content)
    for element in root.xpath(xpath, namespaces=NS):
        if text is None:
            element.getparent().remove(element)
        else:
            element.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def with_pdf(content: bytes, pdf: bytes, file_name: str = "invoice.pdf") -> bytes:
    """``content`` with a PDF rendition embedded as an additional document reference."""
    root = _tree(content)
    reference = etree.Element(CAC + "AdditionalDocumentReference")
    etree.SubElement(reference, CBC + "ID").text = "rendition"
    attachment = etree.SubElement(reference, CAC + "Attachment")
    binary = etree.SubElement(attachment, CBC + "EmbeddedDocumentBinaryObject",
                              mimeCode="application/pdf", filename=file_name)
    binary.text = base64.b64encode(pdf).decode()
    # Its place in the UBL sequence: after the buyer reference, before the parties.
    anchor = root.find("cac:AccountingSupplierParty", NS)
    assert anchor is not None
    anchor.addprevious(reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def in_sbd(content: bytes, receiver: str | None = None) -> bytes:
    """``content`` wrapped in a Standard Business Document header, as access points
    exchange it."""
    receiver_xml = (f'<Receiver><Identifier Authority="iso6523-actorid-upis">{receiver}'
                    f'</Identifier></Receiver>') if receiver else ""
    body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    return (f'<?xml version="1.0" encoding="UTF-8"?><StandardBusinessDocument xmlns="{SBD_NS}">'
            f'<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion>'
            f'<Sender><Identifier Authority="iso6523-actorid-upis">0208:0000000097</Identifier>'
            f'</Sender>{receiver_xml}</StandardBusinessDocumentHeader>').encode() + body + \
        b"</StandardBusinessDocument>"
