"""Peppol validation: milliseconds per invoice for the full validation (safe parse, UBL
2.1 XSD, CEN EN16931 rules, Peppol BIS 3 rules, SVRL read into findings) on the official
example invoices after warm-up, against the raw baseline of the same work done directly
(lxml parse + XSD, saxonche running the same two compiled XSLTs on the same processor,
no findings read) in the same run. Rounds interleave both paths; medians reported.

Usage: python bench/peppol_validation.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from lxml import etree

from lucy_events.peppol.artefacts import LOCK, rule_sets
from lucy_events.peppol.validation import validate

EXAMPLES = sorted((Path(__file__).parent.parent / "tests" / "data"
                   / "peppol-bis3-examples").glob("*.xml"))


def raw(content: bytes) -> int:
    """The same artefacts run directly: what validation costs without our wrapper."""
    sets = rule_sets()
    with LOCK:
        root = etree.fromstring(content)
        sets.schemas[root.tag].validate(root)
        node = sets.processor.parse_xml(xml_text=content.decode())
        return len(sets.cen.transform_to_string(xdm_node=node)) + len(
            sets.peppol.transform_to_string(xdm_node=node))


def per_invoice_ms(call, contents: list[bytes], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for content in contents:
            call(content)
    return (time.perf_counter() - started) * 1000 / (repeat * len(contents))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=10, help="passes over the examples "
                        "per round")
    args = parser.parse_args()
    contents = [p.read_bytes() for p in EXAMPLES]

    started = time.perf_counter()
    first = validate(contents[0])
    cold = time.perf_counter() - started
    assert all(validate(c).valid for c in contents), "an official example is invalid"
    for _ in range(3):  # warm-up: JIT of the stylesheets, caches
        for content in contents:
            validate(content)
            raw(content)

    ours, baseline = [], []
    for _ in range(args.rounds):
        baseline.append(per_invoice_ms(raw, contents, args.repeat))
        ours.append(per_invoice_ms(validate, contents, args.repeat))
    mine, theirs = statistics.median(ours), statistics.median(baseline)
    print(f"peppol validation of {len(contents)} official examples "
          f"({', '.join(p.name for p in EXAMPLES)}), {args.rounds} rounds x {args.repeat} passes")
    print(f"first validation in the process (loads XSD, compiles XSLTs): {cold * 1000:.0f} ms "
          f"(valid={first.valid})")
    print(f"raw: lxml XSD + saxonche CEN + Peppol XSLTs:   {theirs:6.1f} ms per invoice")
    print(f"validate(): safe parse + XSD + CEN + Peppol + findings: {mine:6.1f} ms per invoice")
    print(f"ratio (raw / ours): {theirs / mine:.2f}")
    print(f"validate_ms: {mine:.1f}")


if __name__ == "__main__":
    main()
