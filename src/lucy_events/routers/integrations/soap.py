"""SOAP 1.1 envelopes for ASMX-style web services: built with ElementTree, parsed with
defusedxml (an answer is untrusted input)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import defusedxml.ElementTree as SafeElementTree

ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"


@dataclass(frozen=True)
class SoapFault:
    code: str
    message: str


def envelope(namespace: str, operation: str, arguments: dict[str, str]) -> bytes:
    """``<operation xmlns=namespace>`` with one child per argument, in the given order."""
    ElementTree.register_namespace("soap", ENVELOPE_NS)
    root = ElementTree.Element(f"{{{ENVELOPE_NS}}}Envelope")
    body = ElementTree.SubElement(root, f"{{{ENVELOPE_NS}}}Body")
    call = ElementTree.SubElement(body, f"{{{namespace}}}{operation}")
    for name, value in arguments.items():
        ElementTree.SubElement(call, f"{{{namespace}}}{name}").text = value
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def parse(answer: bytes, namespace: str, operation: str) -> str | SoapFault | None:
    """The text of ``<operation>Result``, a ``SoapFault``, or None if the answer is
    neither (not XML, or not this operation's response)."""
    try:
        root = SafeElementTree.fromstring(answer)
    except Exception:  # defusedxml raises ParseError and its own refusals alike
        return None
    fault = root.find(f"{{{ENVELOPE_NS}}}Body/{{{ENVELOPE_NS}}}Fault")
    if fault is not None:
        return SoapFault(
            code=(fault.findtext("faultcode") or "").strip(),
            message=(fault.findtext("faultstring") or "").strip(),
        )
    result = root.find(
        f"{{{ENVELOPE_NS}}}Body/{{{namespace}}}{operation}Response/{{{namespace}}}{operation}Result"
    )
    return None if result is None else (result.text or "").strip()
