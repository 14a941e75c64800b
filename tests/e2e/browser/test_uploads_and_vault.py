"""Uploading documents and sharing files in the vault, in Chromium: the plain form
without JavaScript, dropping files onto it with JavaScript, and the vault's download and
delete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser.conftest import LAPTOP, Site, expect, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PDF = b"%PDF-1.7\n% uploaded in the browser\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR browser"


@pytest.fixture
def no_script(browser: Any, site: Site) -> Iterator[Any]:
    """A browser window with JavaScript switched off."""
    context = browser.new_context(viewport=LAPTOP, base_url=site.url,
                                  java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _row(page: Any, file_name: str) -> Any:
    return page.locator("table.document-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile(re.escape(file_name))))


def _file(name: str, content: bytes, media_type: str = "application/octet-stream") -> dict:
    return {"name": name, "mimeType": media_type, "buffer": content}


def test_two_files_uploaded_with_the_plain_form_become_two_documents(
        no_script, site: Site, screens):
    client_id = site.new_client("Upload Zonder Script BV")
    site.settle()
    sign_in(no_script, site)
    no_script.goto(f"/clients/{client_id}/documents")
    no_script.get_by_label("Files").set_input_files([
        _file("aankoop-0001.pdf", PDF), _file("kasticket.png", PNG)])
    no_script.get_by_label("Type (optional)").select_option("purchase-invoice")
    no_script.get_by_role("button", name="Upload", exact=True).click()

    expect(no_script.get_by_role("status")).to_contain_text("2 documents uploaded.")
    for name in ("aankoop-0001.pdf", "kasticket.png"):
        row = _row(no_script, name)
        expect(row.locator("td[data-label='Status']")).to_contain_text("Inbox")
        expect(row.get_by_role("rowheader")).to_contain_text("upload")
        expect(row.locator("td[data-label='Type'] select")).to_have_value("purchase-invoice")
    screens.take(no_script, "uploaded")


def test_a_file_of_another_kind_is_refused_beside_the_input_naming_it(
        no_script, site: Site):
    client_id = site.new_client("Verkeerd Bestand BV")
    site.settle()
    sign_in(no_script, site)
    no_script.goto(f"/clients/{client_id}/documents")
    no_script.get_by_label("Files").set_input_files([
        _file("goed.pdf", PDF), _file("notities.txt", b"just text")])
    no_script.get_by_role("button", name="Upload", exact=True).click()

    error = no_script.locator("#upload-file-error")
    expect(error).to_contain_text('"notities.txt" is not a PDF, PNG, JPEG, TIFF or UBL')
    expect(no_script.get_by_label("Files")).to_have_attribute("aria-invalid", "true")
    expect(no_script.get_by_text("No documents.")).to_be_visible()  # goed.pdf not kept


def test_files_dropped_onto_the_form_are_uploaded(page, site: Site, screens):
    client_id = site.new_client("Sleep En Zet BV")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/documents")
    expect(page.get_by_text("Or drop them here.")).to_be_visible()
    dropped = page.evaluate_handle("""() => {
        const files = new DataTransfer();
        files.items.add(new File(["%PDF-1.7 dropped"], "gesleept.pdf",
                                 {type: "application/pdf"}));
        return files;
    }""")
    page.dispatch_event("form[data-drop-zone]", "drop", {"dataTransfer": dropped})

    expect(page.get_by_role("status")).to_contain_text("1 document uploaded.")
    expect(_row(page, "gesleept.pdf")).to_be_visible()
    screens.take(page, "dropped")


def test_a_file_shared_in_the_vault_is_downloaded_and_deleted(page, site: Site, screens):
    client_id = site.new_client("Kluis Proef BV")
    site.settle()
    sign_in(page, site)
    page.goto(f"/clients/{client_id}/vault")
    expect(page.get_by_text("The vault is empty.")).to_be_visible()
    page.get_by_label("Files").set_input_files([
        _file("aangifte-2025.pdf", PDF), _file("balans.csv", b"post;bedrag\nkas;100\n")])
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("2 files uploaded.")
    row = _row(page, "aangifte-2025.pdf")
    expect(row).to_contain_text("application/pdf")
    expect(_row(page, "balans.csv")).to_contain_text("text/csv")
    screens.take(page, "shared")
    with page.expect_download() as download:
        row.get_by_role("link", name="aangifte-2025.pdf").click()
    assert download.value.suggested_filename == "aangifte-2025.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete aangifte-2025.pdf").click()
    expect(page.get_by_role("status")).to_contain_text("aangifte-2025.pdf was deleted")
    expect(_row(page, "aangifte-2025.pdf")).to_have_count(0)
    expect(_row(page, "balans.csv")).to_be_visible()
    # Never a document: the Accounting documents tab has none.
    page.get_by_role("link", name="Accounting documents").click()
    expect(page.get_by_text("No documents.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("Shared aangifte-2025.pdf in the vault")).to_be_visible()
    expect(page.get_by_text("Deleted aangifte-2025.pdf from the vault")).to_be_visible()
