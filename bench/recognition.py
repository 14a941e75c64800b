"""Recognition accuracy and speed over a labelled corpus the project builds itself.

The corpus: ``lucy_events.samples.corpus`` with a fixed seed (text PDFs in six layouts
and till receipts, scans as PNG/JPEG/TIFF/image-only PDF, Peppol UBL with and without
the PDF inside, Factur-X; Dutch, French, English, German; three number formats and the
date formats of each language), plus OpenPeppol's official examples in
``tests/data/peppol-bis3-examples/`` with hand-written labels. Every document goes
through ``recognition.pipeline.recognise`` with the client's own numbers; a field is
right when it equals the label exactly (names and numbers compared without case,
spacing or punctuation differences; amounts and dates as values).

Prints the share exactly right per field and per expected method, per layout and
language for the key fields, the pages/s of the text and OCR methods next to their raw
baselines measured in the same run (pdfplumber's words; tesseract alone), key-field
accuracy on scans, and last ``key_field_accuracy: X.XX`` over text PDFs (Factur-X
included) and UBL: supplier VAT, invoice number, issue date, total including VAT.

    PYTHONPATH=src python bench/recognition.py [--count 200] [--scans 48] [--seed 2026]
"""

from __future__ import annotations

import argparse
import io
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lucy_events.recognition.fields import Recognition, VatLine
from lucy_events.samples.corpus import Sample, corpus

EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "peppol-bis3-examples"
FIELDS = ("method", "document_type", "supplier_name", "supplier_vat",
          "supplier_enterprise_number", "customer_name", "customer_vat", "invoice_number",
          "issue_date", "due_date", "currency", "total_excl_vat", "total_vat",
          "total_incl_vat", "vat_breakdown", "iban", "structured_communication")
KEY_FIELDS = ("supplier_vat", "invoice_number", "issue_date", "total_incl_vat")
IDENTIFIERS = {"supplier_vat", "customer_vat", "supplier_enterprise_number", "iban",
               "structured_communication"}
GROUPS = ("pdf-text", "factur-x", "ubl", "scan")


def _d(value: str) -> Decimal:
    return Decimal(value)


_GB = Recognition(
    method="ubl", confidence=1.0, supplier_name="SupplierOfficialName Ltd",
    supplier_vat="GB1232434", customer_name="Buyer Official Name",
    customer_vat="SE4598375937", invoice_number="Snippet1", issue_date=date(2017, 11, 13),
    due_date=date(2017, 12, 1), currency="EUR", total_excl_vat=_d("1325"),
    total_vat=_d("331.25"), total_incl_vat=_d("1656.25"),
    vat_breakdown=(VatLine(_d("25"), _d("1325"), _d("331.25")),),
    document_type="purchase-invoice",
)
#: OpenPeppol's examples, read by hand. A party's name is its legal name (BT-27, BT-44:
#: RegistrationName) or its trading name (PartyName), both right (``NAME_ALIASES``).
#: Their IBANs are placeholders ("IBAN32423940") that no validator accepts, so the right
#: reading is none; the buyer is the client.
EXAMPLE_LABELS = {
    "base-example.xml": _GB,
    "base-creditnote-correction.xml": replace(
        _GB, document_type="purchase-credit-note", due_date=None),
    "Vat-category-S.xml": replace(
        _GB, total_excl_vat=_d("7000"), total_vat=_d("1550"), total_incl_vat=_d("8550"),
        vat_breakdown=(VatLine(_d("25"), _d("5000"), _d("1250")),
                       VatLine(_d("15"), _d("2000"), _d("300")))),
    "vat-category-E.xml": Recognition(
        method="ubl", confidence=1.0, document_type="purchase-invoice",
        supplier_name="The Sellercompany Incorporated", supplier_vat="GB928741974",
        customer_name="The Buyercompany", invoice_number="Vat-Z",
        issue_date=date(2018, 8, 30), currency="GBP", total_excl_vat=_d("1200"),
        total_vat=_d("0"), total_incl_vat=_d("1200"),
        vat_breakdown=(VatLine(_d("0"), _d("1200"), _d("0")),)),
}
NAME_ALIASES = {"suppliertradingname ltd.": "supplierofficialname ltd",
                "buyertradingname as": "buyer official name"}
EXAMPLE_OWN_NUMBERS = {"vat-category-E.xml": frozenset({"12345678"})}


@dataclass
class Outcome:
    group: str
    layout: str
    language: str
    right: dict[str, bool]
    seconds: float


def _plain(field: str, value: Any) -> Any:
    if value is None or value == ():
        return None
    if isinstance(value, str):
        text = " ".join(value.split()).casefold()
        if field in IDENTIFIERS:
            return re.sub(r"[^0-9a-z+]", "", text)
        return NAME_ALIASES.get(text, text) if field.endswith("_name") else text
    if field == "vat_breakdown":
        return sorted((line.rate.normalize(), line.taxable, line.vat) for line in value)
    return value


def is_right(field: str, expected: Recognition, got: Recognition) -> bool:
    return bool(_plain(field, getattr(expected, field)) == _plain(field, getattr(got, field)))


def examples() -> Iterable[Sample]:
    for name, label in EXAMPLE_LABELS.items():
        own = EXAMPLE_OWN_NUMBERS.get(name, frozenset({"SE4598375937"}))
        yield Sample(name, (EXAMPLES / name).read_bytes(), "application/xml", label, own,
                     "ubl", "peppol-example", "en", "-", "-")


def run(samples: Iterable[Sample], failures: int) -> list[Outcome]:
    from lucy_events.recognition.pipeline import recognise

    outcomes, shown = [], 0
    for sample in samples:
        started = time.perf_counter()
        got = recognise(sample.content, sample.media_type, own_numbers=sample.own_numbers)
        seconds = time.perf_counter() - started
        right = {field: is_right(field, sample.label, got) for field in FIELDS}
        outcomes.append(Outcome(sample.form, sample.layout, sample.language, right, seconds))
        wrong = [f for f in KEY_FIELDS if not right[f]]
        if wrong and shown < failures:
            shown += 1
            print(f"  miss {sample.file_name} ({sample.form}, {sample.layout}, "
                  f"{sample.language}, {sample.number_style}, {sample.date_style}): "
                  + ", ".join(f"{f} {getattr(sample.label, f)!s} read {getattr(got, f)!s}"
                              for f in wrong) + (f" [{got.reason}]" if got.reason else ""))
    return outcomes


def baselines(samples: list[Sample], ocr_samples: int) -> dict[str, float]:
    """The raw work under the methods, in the same run: pdfplumber's words of each text
    PDF, and tesseract (the four languages, one thread, as the OCR method calls it) on
    the first ``ocr_samples`` scans. Returns pages/s by name."""
    import os

    import pdfplumber
    import pytesseract
    from PIL import Image

    from lucy_events.samples.scan import rasterise

    texts = [s for s in samples if s.form == "pdf-text"]
    started = time.perf_counter()
    for sample in texts:
        with pdfplumber.open(io.BytesIO(sample.content)) as pdf:
            pdf.pages[0].extract_words()
    rates = {"text PDF": len(texts) / (time.perf_counter() - started)}
    scans = [s for s in samples if s.form == "scan"][:ocr_samples]
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    started = time.perf_counter()
    for sample in scans:
        image = rasterise(sample.content, 300) if sample.media_type == "application/pdf" \
            else Image.open(io.BytesIO(sample.content))
        pytesseract.image_to_data(image, lang="nld+fra+deu+eng", config="--psm 3")
    if scans:
        rates["OCR"] = len(scans) / (time.perf_counter() - started)
    return rates


def _share(outcomes: list[Outcome], fields: Iterable[str]) -> float:
    pairs = [o.right[f] for o in outcomes for f in fields]
    return sum(pairs) / len(pairs) if pairs else float("nan")


def report(outcomes: list[Outcome], raw: dict[str, float]) -> None:
    by_group = {g: [o for o in outcomes if o.group == g] for g in GROUPS}
    header = f"{'field':28}" + "".join(f"{g:>10}" for g in GROUPS) + f"{'all':>10}"
    print(header)
    print(f"{'documents':28}" + "".join(f"{len(by_group[g]):>10}" for g in GROUPS)
          + f"{len(outcomes):>10}")
    for field in FIELDS:
        print(f"{field:28}" + "".join(f"{_share(by_group[g], [field]):>10.2f}" for g in GROUPS)
              + f"{_share(outcomes, [field]):>10.2f}")
    for attribute in ("layout", "language"):
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in outcomes:
            groups[f"{outcome.group}/{getattr(outcome, attribute)}"].append(outcome)
        print(f"key fields by {attribute}: " + "  ".join(
            f"{name} {_share(items, KEY_FIELDS):.2f} ({len(items)})"
            for name, items in sorted(groups.items())))
    for name, group in (("text PDF", by_group["pdf-text"]), ("OCR", by_group["scan"])):
        seconds = sum(o.seconds for o in group)
        if group:
            rate = len(group) / seconds
            print(f"pages/s {name}: {rate:.2f} ({len(group)} one-page documents in "
                  f"{seconds:.1f} s); raw baseline {raw.get(name, float('nan')):.2f}, "
                  f"ratio {rate / raw.get(name, float('nan')):.2f}")
    print(f"key_field_accuracy scans: {_share(by_group['scan'], KEY_FIELDS):.2f}")
    text_and_ubl = by_group["pdf-text"] + by_group["factur-x"] + by_group["ubl"]
    print(f"key_field_accuracy: {_share(text_and_ubl, KEY_FIELDS):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--scans", type=int, default=48)
    parser.add_argument("--failures", type=int, default=25, help="misses to print")
    parser.add_argument("--raw-ocr", type=int, default=10,
                        help="scans the raw tesseract baseline reads")
    parser.add_argument("--save", type=Path, help="also write the corpus to this folder")
    args = parser.parse_args()
    started = time.perf_counter()
    samples = [*corpus(args.seed, args.count, args.scans), *examples()]
    print(f"corpus: {len(samples)} documents (seed {args.seed}) built in "
          f"{time.perf_counter() - started:.1f} s")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for index, sample in enumerate(samples):
            (args.save / f"{index:03d}-{sample.file_name}").write_bytes(sample.content)
    outcomes = run(samples, args.failures)
    report(outcomes, baselines(samples, args.raw_ocr))


if __name__ == "__main__":
    main()
