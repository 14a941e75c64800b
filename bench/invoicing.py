"""Invoicing: invoices issued per second through the application (take the number,
draw the PDF with weasyprint, write the UBL, validate it with the UBL 2.1 XSD, CEN
EN16931 and Peppol BIS 3 rules, save invoice, counter and Inbox document in one
transaction on a SQLite file), and the validation time per issued invoice (its PDF
embedded) after warm-up. Beside them, the same steps without the store (render only,
render + validate) in the same run, so the share of each is visible.

Usage: python bench/invoicing.py [--invoices N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' builders

from tests.invoice_support import SETTINGS, draft_values
from tests.support import open_office

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from lucy_events.invoicing.pdf import render_pdf
from lucy_events.invoicing.ubl import Issue, render_ubl
from lucy_events.peppol.validation import validate

ISSUED_ON = date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invoices", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = LucyApplication(persistence_env(f"sqlite:///{Path(folder) / 'events.db'}"),
                              blobs=InMemoryBlobStore())
        office = open_office(app)
        client_id = office.new_client()
        app.save_invoice_settings(office.firm_id, client_id, SETTINGS, office.admin)
        drafts = [app.draft_invoice(office.firm_id, client_id, draft_values(),
                                    office.admin) for _ in range(args.invoices + 3)]
        started = time.perf_counter()
        for draft in drafts[:3]:  # warm-up: compile the rules, load fonts
            app.issue_invoice(office.firm_id, client_id, draft.id, office.admin, ISSUED_ON)
        print(f"first issues (compile rules, load fonts): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms for 3")

        started = time.perf_counter()
        issued = [app.issue_invoice(office.firm_id, client_id, d.id, office.admin, ISSUED_ON)
                  for d in drafts[3:]]
        elapsed = time.perf_counter() - started
        ubls = [app.blobs.get(i.ubl_ref or "") for i in issued]

        sample = issued[0]
        issue = Issue("INV-2026-99999", ISSUED_ON, sample.structured_communication or "",
                      sample.seller, "BE71096123456769", "GKCCBEBB")
        render_ms, validate_ms = [], []
        for ubl in ubls:
            began = time.perf_counter()
            render_ubl(sample, issue, render_pdf(sample, issue, "nl"))
            render_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            assert validate(ubl).valid
            validate_ms.append((time.perf_counter() - began) * 1000)
        app.close()
    per_issue = elapsed * 1000 / len(issued)
    print(f"issue (number + PDF + UBL + validate + save): {per_issue:.1f} ms per invoice")
    print(f"render only (PDF + UBL, no store):            {statistics.median(render_ms):.1f} ms")
    print(f"validate only (UBL with its PDF embedded):    {statistics.median(validate_ms):.1f} ms")
    print(f"issue_per_s: {len(issued) / elapsed:.1f}")
    print(f"validate_ms: {statistics.median(validate_ms):.1f}")


if __name__ == "__main__":
    main()
