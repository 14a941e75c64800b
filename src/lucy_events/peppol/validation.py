"""Validating a Peppol BIS Billing 3.0 document with the official rules.

``validate(content)``: the UBL 2.1 schema first (a document the schema refuses is not
checked further: the business rules assume its structure), then the CEN EN16931 rules,
then the Peppol BIS 3 rules. Fatal findings make the document invalid; warnings do not.
Content that is not safe, well-formed UBL raises ``UnsafeOrMalformedXml`` instead: it
is refused, not validated. Shared by intake (documents received) and invoicing
(documents issued).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from lucy_events.peppol.artefacts import LOCK, RULES_VERSION, rule_sets
from lucy_events.peppol.svrl import Finding, findings
from lucy_events.peppol.xml import parse_untrusted, ubl_document

XSD_RULE = "UBL-XSD"


@dataclass(frozen=True)
class ValidationResult:
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    rules: str = RULES_VERSION

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def rule_ids(self) -> list[str]:
        """The fatal rules broken, each once, in the order found."""
        return list(dict.fromkeys(f.rule for f in self.errors))

    def as_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "rules": self.rules,
                "errors": [f.as_dict() for f in self.errors],
                "warnings": [f.as_dict() for f in self.warnings]}


def _schema_errors(schema: etree.XMLSchema, document: etree._Element) -> list[Finding]:
    if schema.validate(document):
        return []
    return [Finding(XSD_RULE, "fatal", f"line {e.line}, column {e.column}", e.message)
            for e in schema.error_log]


def validate_element(document: etree._Element) -> ValidationResult:
    """Validate a UBL Invoice or CreditNote element already parsed safely."""
    sets = rule_sets()
    with LOCK:
        errors = _schema_errors(sets.schemas[document.tag], document)
        if errors:
            return ValidationResult(tuple(errors), ())
        # Saxon sees only lxml's serialisation of the DTD-free tree, never the input.
        node = sets.processor.parse_xml(xml_text=etree.tostring(document, encoding="unicode"))
        found = findings(sets.cen.transform_to_string(xdm_node=node))
        found += findings(sets.peppol.transform_to_string(xdm_node=node))
    return ValidationResult(tuple(f for f in found if f.fatal),
                            tuple(f for f in found if not f.fatal))


def validate(content: bytes) -> ValidationResult:
    """Validate a UBL Invoice or CreditNote, bare or inside a Standard Business Document
    header; raises ``UnsafeOrMalformedXml`` for anything else."""
    return validate_element(ubl_document(parse_untrusted(content)))
