"""``lucy-events demo`` issues the demo clients' invoices and a credit note, and
``lucy-events invoices export`` writes each one's UBL and PDF named by number."""

from __future__ import annotations

import re
from pathlib import Path

from lucy_events.peppol.validation import validate
from tests.e2e.conftest import Cli


def test_the_demo_invoices_are_exported_as_valid_ubl_and_pdf_named_by_number(
        sqlite_cli: Cli, tmp_path: Path) -> None:
    sqlite_cli.run("demo")
    sqlite_cli.run("demo")  # safe twice: nothing issued again
    out = tmp_path / "audit"
    result = sqlite_cli.run("invoices", "export", str(out))
    assert "5 invoices and credit notes written" in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    ubls = sorted(out.glob("*/*.xml"))
    pdfs = sorted(out.glob("*/*.pdf"))
    assert len(ubls) == len(pdfs) == 5
    assert {p.stem for p in ubls} == {p.stem for p in pdfs}
    numbers = sorted(re.sub(r"\d{4}-", "YYYY-", p.stem) for p in ubls)
    assert numbers == ["FAC-YYYY-00001", "FAC-YYYY-00002", "FYYYY-00001", "FYYYY-00002",
                       "FYYYY-00003"]  # per client and year, gapless, the credit note too
    assert all(validate(p.read_bytes()).valid for p in ubls)
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    client = ubls[0].parent.name
    only = sqlite_cli.run("invoices", "export", str(tmp_path / "one"), "--client", client)
    assert all(line.startswith(client) for line in only.stdout.splitlines())
    wrong = sqlite_cli.run("invoices", "export", str(tmp_path / "x"), "--client", "nope",
                           check=False)
    assert wrong.returncode == 2 and "client" in wrong.stderr.lower()
