"""A document's page: the preview of its first page, the fields recognition read and how,
correcting one (and being told which field is wrong), and its history."""

from __future__ import annotations

import re

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument
from lucy_events.recognition.worker import RecognitionWorker
from tests.e2e.browser.conftest import Site, expect, sign_in
from tests.pdf_samples import pdf_invoice

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_read_invoice_shows_its_fields_and_a_person_corrects_one(page, site: Site, screens):
    app, firm_id = site.services.app, site.demo.firm_id
    client_id = site.new_client("Herkenning Proef BV")
    number = app.client(firm_id, client_id).enterprise_number
    document_id = app.receive_document(IncomingDocument(
        firm_id, client_id, pdf_invoice(customer_vat=f"BE{number}"), "factuur-F2026-204.pdf",
        "application/pdf", "email", sender="facturen@hetanker.example"),
        Actor.system("intake"))
    worker = next(h for h in site.services.recognition_handlers()
                  if isinstance(h, RecognitionWorker))
    worker.read(app.document_for_system(document_id))  # as `serve` does, with the real pipeline
    site.settle()

    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents")
    row = page.locator("table.document-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile("factuur-F2026-204")))
    expect(row.locator("td[data-label='Supplier']")).to_have_text("Brouwerij Het Anker BV")
    expect(row.locator("td[data-label='Number']")).to_have_text("F2026-204")
    expect(row.locator("td[data-label='Date']")).to_have_text("2026-11-03")
    expect(row.locator("td[data-label='Total']")).to_have_text("121.00 EUR")
    expect(row.locator("td[data-label='Type']")).to_contain_text("Purchase invoice")
    screens.take(page, "1-list")

    row.get_by_role("link", name="factuur-F2026-204.pdf", exact=True).click()
    picture = page.get_by_role("img", name="Page 1 of factuur-F2026-204.pdf")
    expect(picture).to_be_visible()
    # Visible is not loaded: the page is drawn from the PDF on request, which takes a moment.
    page.wait_for_function("img => img.complete && img.naturalWidth > 500",
                           arg=picture.element_handle(), timeout=15_000)
    number_field = page.locator("dd[data-field='invoice_number']")
    expect(number_field).to_contain_text("F2026-204")
    expect(number_field).to_contain_text("PDF text, 92% sure")
    expect(page.locator("dd[data-field='total_incl_vat']")).to_contain_text("121.00")
    screens.take(page, "2-document")

    page.get_by_label("Issue date").fill("3 november")
    page.get_by_role("button", name="Save the fields").click()
    expect(page.get_by_label("Issue date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#fields-issue-date-error")).to_contain_text(
        "Must be a date written YYYY-MM-DD")
    screens.take(page, "3-error")

    page.get_by_label("Issue date").fill("2026-11-03")
    page.get_by_label("Invoice number").fill("F2026-204-B")
    page.get_by_role("button", name="Save the fields").click()
    expect(page.get_by_role("status")).to_contain_text("were saved")
    expect(number_field).to_contain_text("F2026-204-B")
    expect(number_field).to_contain_text("corrected by")
    expect(page.locator("table.history-table")).to_contain_text("Corrected invoice number")
    expect(page.locator("table.history-table")).to_contain_text("Read (pdf-text, 92% sure)")
    screens.take(page, "4-corrected")
    assert app.document_for_system(document_id).fields["invoice_number"] == "F2026-204-B"


def test_a_possible_duplicate_links_to_the_other_and_is_released(page, site: Site, screens):
    app, firm_id = site.services.app, site.demo.firm_id
    client_id = site.new_client("Dubbel Proef BV")
    content = pdf_invoice(number="F2026-777")
    worker = next(h for h in site.services.recognition_handlers()
                  if isinstance(h, RecognitionWorker))
    ids = []
    for name in ("F2026-777.pdf", "F2026-777 (copy).pdf"):
        ids.append(app.receive_document(IncomingDocument(
            firm_id, client_id, content, name, "application/pdf", "email"),
            Actor.system("intake")))
        worker.read(app.document_for_system(ids[-1]))
    site.settle()

    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents/{ids[1]}")
    notice = page.get_by_role("region", name="Possible duplicate")
    expect(notice).to_contain_text("Possible duplicate of F2026-777.pdf: the same file.")
    expect(notice).to_contain_text("not sent until someone decides")
    screens.take(page, "1-held")
    notice.get_by_role("button", name="Not a duplicate").click()
    expect(page.get_by_role("status")).to_contain_text("is not a duplicate")
    expect(page.get_by_role("region", name="Possible duplicate")).to_have_count(0)
    assert not app.document_for_system(ids[1]).held_as_duplicate
    assert app.document_for_system(ids[0]).duplicates == {}
