"""Invoicing over HTTP: settings prefilled then saved, a draft created, edited and
issued, a broken Peppol rule answered on its field, a credit note, the UBL and PDF
downloaded, the issued invoice in the client's documents."""

from __future__ import annotations

import base64

from lucy_events.peppol.validation import validate
from tests.e2e.api.conftest import ApiServer
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _draft(**overrides):
    values = draft_values(**overrides)
    values["adjustments"] = [{**a, "charge": a["charge"] == "true"}
                             for a in values["adjustments"]]
    return values


def test_an_invoice_is_set_up_drafted_issued_and_credited_over_the_api(any_api: ApiServer):
    firm = any_api.firm()
    client_id = firm.new_client()["id"]
    http = firm.accountant
    prefilled = http.get(f"/clients/{client_id}/invoice-settings")
    assert prefilled.status == 200 and prefilled.json["saved"] is False
    assert prefilled.json["seller_city"] and prefilled.json["language"] == "nl"
    wrong = http.put(f"/clients/{client_id}/invoice-settings",
                     {**SETTINGS, "iban": "BE71096123456768"})
    assert wrong.status == 422 and "iban" in wrong.error["fields"], wrong
    saved = http.put(f"/clients/{client_id}/invoice-settings",
                     {**SETTINGS, "payment_terms_days": 14,
                      "logo": base64.b64encode(PNG).decode()})
    assert saved.status == 200 and saved.json["saved"] and saved.json["has_logo"], saved

    created = http.post(f"/clients/{client_id}/invoices", _draft())
    assert created.status == 201, created
    invoice = created.json
    assert (invoice["status"], invoice["totals"]["incl_vat"]) == ("Draft", "329.49")
    path = f"/clients/{client_id}/invoices/{invoice['id']}"
    assert http.get(path + "/ubl").status == 409

    broken = http.put(path, _draft(customer={**CUSTOMER, "enterprise_number": "", "vat": "",
                                             "email": ""}))
    assert broken.status == 200, broken
    refused = http.post(path + "/issue")
    assert refused.status == 422, refused
    assert "customer" in refused.error["fields"], refused.error
    assert "[PEPPOL-" in refused.error["fields"]["customer"]

    assert http.put(path, _draft()).status == 200
    issued = http.post(path + "/issue")
    assert issued.status == 200, issued
    assert issued.json["number"].startswith("INV-") and issued.json["status"] == "Issued"
    assert http.put(path, _draft()).status == 409
    ubl = http.get(path + "/ubl")
    assert ubl.status == 200 and ubl.headers["Content-Type"].startswith("application/xml")
    assert validate(ubl.content).valid
    pdf = http.get(path + "/pdf")
    assert pdf.status == 200 and pdf.content.startswith(b"%PDF")
    sent = http.post(path + "/send")  # no relay configured: into the outbox
    assert sent.status == 200 and sent.json["status"] == "Sent", sent
    assert sent.json["sent_to"] == CUSTOMER["email"]
    assert http.post(path + "/send").status == 409

    credit = http.post(path + "/credit-note", {"lines": [{
        "description": "Retour pistolets", "quantity": "20", "unit_price": "0.45",
        "vat_category": "S", "vat_rate": "6"}]})
    assert credit.status == 201 and credit.json["credited_number"] == issued.json["number"]
    credit_issued = http.post(f"/clients/{client_id}/invoices/{credit.json['id']}/issue")
    assert credit_issued.status == 200, credit_issued
    assert credit_issued.json["totals"]["incl_vat"] == "9.54"

    listed = http.get(f"/clients/{client_id}/invoices")
    assert {(i["kind"], i["status"]) for i in listed.json["items"]} == {
        ("invoice", "Sent"), ("credit-note", "Issued")}
    assert [c["name"] for c in listed.json["customers"]] == [CUSTOMER["name"]]
    documents = http.get(f"/clients/{client_id}/documents").json["items"]
    assert {d["document_type"] for d in documents} >= {"sales-invoice", "sales-credit-note"}

    other = any_api.firm("Other Firm")
    assert other.admin.get(path).status == 404
    assert other.admin.get(f"/clients/{client_id}/invoice-settings").status == 404
