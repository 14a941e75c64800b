"""The dashboard's "Invoice settings" and "Create invoice" tabs as a browser without
JavaScript uses them: plain form posts, errors beside their fields, a broken Peppol rule
shown with the invoice, the issued PDF and UBL downloaded."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from lucy_events.peppol.validation import validate
from tests.integration.onboarding.conftest import Site, _site, settings_for
from tests.invoice_support import CUSTOMER, SETTINGS

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from _site(settings_for(tmp_path))


def _line(n: int, **values: str) -> dict[str, str]:
    return {f"lines[{n}].{k}": v for k, v in values.items()}


def test_settings_and_an_invoice_made_issued_and_credited_from_the_dashboard(site: Site):
    client_id = site.office.new_client()
    browser = site.signed_in()
    page = browser.get(f"/clients/{client_id}/invoice-settings").get_data(as_text=True)
    assert "Invoice settings" in page and 'value="Bakkerij Claes"' in page
    assert "Create invoice" in page

    wrong = site.post(browser, f"/clients/{client_id}/invoice-settings",
                      **{**SETTINGS, "iban": "BE71096123456768"})
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert 'id="settings-iban-error"' in html and "not a valid IBAN" in html
    assert 'value="BE71096123456768"' in html  # as typed
    saved = browser.post(f"/clients/{client_id}/invoice-settings", data={
        "csrf_token": "test-csrf", **SETTINGS, "logo": (io.BytesIO(PNG), "logo.png")},
        content_type="multipart/form-data")
    assert saved.status_code == 303, saved.get_data(as_text=True)

    customer = {f"customer.{k}": v for k, v in CUSTOMER.items()}
    missing = site.post(browser, f"/clients/{client_id}/invoices", **customer,
                        **_line(0, description="Pistolets", quantity="120", unit="C62",
                                unit_price="", vat_category="S", vat_rate="6"))
    assert missing.status_code == 422
    assert 'id="create-lines[0]-unit-price-error"' in missing.get_data(as_text=True)

    made = site.post(browser, f"/clients/{client_id}/invoices", **customer, issue="on",
                     **_line(0, description="Pistolets", quantity="120", unit="C62",
                             unit_price="0.45", vat_category="S", vat_rate="6"),
                     **_line(1, description="Advies", quantity="2", unit="HUR",
                             unit_price="85", vat_category="S", vat_rate="21"))
    assert made.status_code == 303, made.get_data(as_text=True)
    site.settle()
    page = browser.get(f"/clients/{client_id}/invoices").get_data(as_text=True)
    [row] = rows_of(site, client_id)
    assert row.number and row.number in page and row.number.endswith("-00001")
    assert row.status == "Issued" and row.total_incl_vat == "262.94"
    pdf = browser.get(f"/clients/{client_id}/invoices/{row.invoice_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    ubl = browser.get(f"/clients/{client_id}/invoices/{row.invoice_id}.xml")
    assert validate(ubl.data).valid

    no_endpoint = {**customer, "customer.enterprise_number": "", "customer.vat": "",
                   "customer.email": ""}
    draft = site.post(browser, f"/clients/{client_id}/invoices", **no_endpoint,
                      **_line(0, description="Advies", quantity="1", unit="HUR",
                              unit_price="85", vat_category="S", vat_rate="21"))
    assert draft.status_code == 303
    site.settle()
    [new] = [r for r in rows_of(site, client_id) if r.status == "Draft"]
    refused = site.post(browser, f"/clients/{client_id}/invoices/{new.invoice_id}/issue")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Not issued" in html and "<strong>customer</strong>" in html and "[PEPPOL-" in html

    credit = site.post(browser, f"/clients/{client_id}/invoices/{row.invoice_id}/credit-note")
    assert credit.status_code == 303
    site.settle()
    [note] = [r for r in rows_of(site, client_id) if r.kind == "credit-note"]
    issued = site.post(browser, f"/clients/{client_id}/invoices/{note.invoice_id}/issue")
    assert issued.status_code == 303, issued.get_data(as_text=True)
    site.settle()
    page = browser.get(f"/clients/{client_id}/invoices").get_data(as_text=True)
    assert f"of {row.number}" in page


def rows_of(site: Site, client_id):
    from lucy_events.projections.invoice_queries import list_invoices

    return list_invoices(site.services.read_db, firm_id=site.office.firm_id,
                         client_id=client_id)


def test_the_customer_is_found_and_a_draft_edited_without_javascript(
        site: Site, tmp_path: Path):
    from html import unescape

    from lucy_events.register import Extract, import_extract
    from tests.register_extracts import full_extract

    (tmp_path / "kbo").mkdir()
    with Extract(full_extract(tmp_path / "kbo")) as extract:
        import_extract(site.services.read_db, extract)
    client_id = site.office.new_client()
    browser = site.signed_in()
    customer = {f"customer.{k}": v for k, v in CUSTOMER.items()}
    made = site.post(browser, f"/clients/{client_id}/invoices", **customer,
                     **_line(0, description="Pistolets", quantity="120", unit="C62",
                             unit_price="0.45", vat_category="S", vat_rate="6"))
    assert made.status_code == 303
    site.settle()

    earlier = browser.get(f"/clients/{client_id}/invoices?customer_q=koninck")
    html = unescape(earlier.get_data(as_text=True))
    assert "Use Brouwerij De Koninck NV" in html and "invoiced before" in html
    register = unescape(browser.get(
        f"/clients/{client_id}/invoices?customer_q=BE0417497106").get_data(as_text=True))
    assert "Use Brouwerij Het Anker" in register and "company register" in register
    link = next(part.split('"', 1)[0] for part in register.split('<a href="')[1:]
                if "customer.name=Brouwerij" in part.split('"', 1)[0])
    picked = unescape(browser.get(link).get_data(as_text=True))
    assert 'value="Brouwerij Het Anker"' in picked and 'value="0417497106"' in picked
    nothing = browser.get(f"/clients/{client_id}/invoices?customer_q=zzzqqq")
    assert "No customer matches" in nothing.get_data(as_text=True)

    [draft] = rows_of(site, client_id)
    editing = browser.get(f"/clients/{client_id}/invoices?edit={draft.invoice_id}")
    html = editing.get_data(as_text=True)
    assert "Edit draft" in html and 'value="Pistolets"' in html
    assert f"/invoices/{draft.invoice_id}/edit" in html
    wrong = site.post(browser, f"/clients/{client_id}/invoices/{draft.invoice_id}/edit",
                      **customer, **_line(0, description="Pistolets", quantity="many",
                                          unit="C62", unit_price="0.45", vat_category="S",
                                          vat_rate="6"))
    assert wrong.status_code == 422
    assert f"/invoices/{draft.invoice_id}/edit" in wrong.get_data(as_text=True)
    saved = site.post(browser, f"/clients/{client_id}/invoices/{draft.invoice_id}/edit",
                      **customer, **_line(0, description="Sandwiches", quantity="40",
                                          unit="C62", unit_price="3.10", vat_category="S",
                                          vat_rate="6"))
    assert saved.status_code == 303, saved.get_data(as_text=True)
    edited = site.services.app.invoice(site.office.firm_id, client_id, draft.invoice_id,
                                       site.office.admin)
    assert [(line["description"], line["quantity"]) for line in edited.lines] == [
        ("Sandwiches", "40")]
    site.settle()
    history = browser.get(f"/clients/{client_id}/history").get_data(as_text=True)
    assert "Drafted an invoice for Brouwerij De Koninck NV" in unescape(history)
    assert "Edited the draft for Brouwerij De Koninck NV" in unescape(history)
