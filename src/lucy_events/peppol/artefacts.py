"""The official validation artefacts under ``rules/``, loaded once per process.

The UBL 2.1 schemas (lxml) and the two compiled schematrons (CEN EN16931 and Peppol BIS
Billing 3.0, run by saxonche) take about a second to load and compile, and then validate
an invoice in a few milliseconds: they are built on first use, under a lock, and kept.
SaxonC's processor is one per process and its calls are serialised by the same lock
(a validation holds it for a few milliseconds), which keeps them safe under the threads
of the HTTP server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from lucy_events.peppol.xml import UBL_CREDIT_NOTE_NS, UBL_INVOICE_NS

RULES_DIR = Path(__file__).parent / "rules"
UBL_SCHEMAS = {
    f"{{{UBL_INVOICE_NS}}}Invoice": RULES_DIR / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote":
        RULES_DIR / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
CEN_XSLT = RULES_DIR / "cen-en16931" / "EN16931-UBL-validation.xslt"
PEPPOL_SCH = RULES_DIR / "peppol-bis3" / "PEPPOL-EN16931-UBL.sch"
PEPPOL_XSLT = RULES_DIR / "peppol-bis3" / "PEPPOL-EN16931-UBL.xslt"
#: What a validation ran, recorded with its result (see rules/README.md).
RULES_VERSION = "UBL 2.1 XSD; CEN EN16931 UBL 1.3.16; Peppol BIS Billing 3.0.19"

LOCK = threading.RLock()


@dataclass(frozen=True)
class RuleSets:
    """Everything a validation needs, ready to run (use only while holding ``LOCK``)."""

    schemas: dict[str, etree.XMLSchema]
    processor: Any  # saxonche.PySaxonProcessor
    cen: Any  # saxonche.PyXsltExecutable
    peppol: Any


_loaded: RuleSets | None = None


def _schema(path: Path) -> etree.XMLSchema:
    # Our own files: the parser still resolves nothing from the network.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def rule_sets() -> RuleSets:
    """The loaded artefacts; the first call loads and compiles them."""
    global _loaded
    with LOCK:
        if _loaded is None:
            from saxonche import PySaxonProcessor

            processor = PySaxonProcessor(license=False)
            xslt = processor.new_xslt30_processor()
            _loaded = RuleSets(
                schemas={root: _schema(path) for root, path in UBL_SCHEMAS.items()},
                processor=processor,
                cen=xslt.compile_stylesheet(stylesheet_file=str(CEN_XSLT)),
                peppol=xslt.compile_stylesheet(stylesheet_file=str(PEPPOL_XSLT)),
            )
        return _loaded
