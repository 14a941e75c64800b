"""Reading the findings out of a schematron report (SVRL), pure.

Each failed assertion (and successful report) becomes a ``Finding`` with the rule id,
its flag (``fatal`` or ``warning``), where in the document it points and the rule's
message. A rule without a flag counts as fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
_FINDINGS = (f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report")
_NAMESPACE_TESTS = re.compile(r"\[namespace-uri\(\)='[^']*'\]")
_EQNAME = re.compile(r"Q\{([^}]*)\}")
_PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc:",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac:",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    location: str
    message: str

    @property
    def fatal(self) -> bool:
        return self.flag not in ("warning", "information")

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "flag": self.flag, "location": self.location,
                "message": self.message}


def readable_location(location: str) -> str:
    """The XPath without namespace URIs, which say nothing to a reader: the ISO
    skeleton's ``/*:Invoice[namespace-uri()='urn:...'][1]`` -> ``/*:Invoice[1]``, and
    SchXslt's ``/Q{urn:...Invoice-2}Invoice[1]/Q{urn:...CommonBasicComponents-2}ID[1]``
    -> ``/Invoice[1]/cbc:ID[1]``."""
    location = _NAMESPACE_TESTS.sub("", location)
    return _EQNAME.sub(lambda m: _PREFIXES.get(m.group(1), ""), location)


def findings(report: str | bytes) -> list[Finding]:
    """The findings of one SVRL report (our own XSLT's output, so trusted XML)."""
    data = report.encode() if isinstance(report, str) else report
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    found = []
    for element in root.iter(*_FINDINGS):
        text = element.find(f"{{{SVRL_NS}}}text")
        message = " ".join((text.text or "") .split()) if text is not None else ""
        found.append(Finding(
            rule=element.get("id") or "(no id)",
            flag=element.get("flag") or "fatal",
            location=readable_location(element.get("location") or ""),
            message=message,
        ))
    return found
