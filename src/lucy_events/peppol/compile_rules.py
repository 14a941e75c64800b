"""Recompile the Peppol BIS 3 schematron to XSLT with the vendored SchXslt.

OpenPEPPOL publishes the rules as schematron (``.sch``); the compiled stylesheet is
vendored next to it so a process only compiles XSLT, never schematron. After replacing
``rules/peppol-bis3/PEPPOL-EN16931-UBL.sch`` with a new release, run::

    python -m lucy_events.peppol.compile_rules

and update ``rules/README.md`` and ``artefacts.RULES_VERSION``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lucy_events.peppol.artefacts import PEPPOL_SCH, PEPPOL_XSLT, RULES_DIR

SCHXSLT_PIPELINE = RULES_DIR / "schxslt" / "2.0" / "pipeline-for-svrl.xsl"
# SchXslt stamps the compile time into the output; dropped so a rerun on the same
# schematron gives the same file.
_STAMP = re.compile(r"<dct:created>[^<]*</dct:created>\s*")


def compile_schematron(schematron: Path, pipeline: Path = SCHXSLT_PIPELINE) -> str:
    """The XSLT 2.0 stylesheet (SVRL output) that checks ``schematron``'s rules."""
    from saxonche import PySaxonProcessor

    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(pipeline))
        compiled = executable.transform_to_string(source_file=str(schematron))
    return _STAMP.sub("", compiled)


def main() -> None:
    PEPPOL_XSLT.write_text(compile_schematron(PEPPOL_SCH), encoding="utf-8")
    print(f"wrote {PEPPOL_XSLT}")


if __name__ == "__main__":
    main()
