"""Over HTTP: an admin sets up the firm's Peppol access point for sending; an accountant
finds the customer (earlier customers, company register), issues an invoice, sends it
(over Peppol: the customer is in the SML), checks its delivery, and reads it all in the
client's history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lucy_events.register import Extract, import_extract
from tests.access_point_support import TOKEN, LocalAccessPoint, local_access_point
from tests.e2e.api.conftest import ApiServer
from tests.invoice_support import CUSTOMER, SETTINGS, draft_values
from tests.peppol_support import LocalSml
from tests.register_extracts import full_extract
from tests.support import belgian_number


@pytest.fixture
def access_point() -> Iterator[LocalAccessPoint]:
    with local_access_point() as ap:
        yield ap


def _draft(customer: dict[str, str]) -> dict[str, object]:
    values = draft_values(customer=customer)
    values["adjustments"] = [{**a, "charge": a["charge"] == "true"}
                             for a in values["adjustments"]]
    return values


def test_an_invoice_is_sent_over_peppol_and_delivered_over_the_api(
        any_api: ApiServer, empty_sml: LocalSml, access_point: LocalAccessPoint):
    firm = any_api.firm()
    admin, accountant = firm.admin, firm.accountant
    assert accountant.put("/peppol/sending", {"endpoint": access_point.url,
                                              "token": TOKEN}).status == 403
    wrong = admin.put("/peppol/sending", {"endpoint": "ftp://ap.example", "token": TOKEN})
    assert wrong.status == 422 and "endpoint" in wrong.error["fields"], wrong
    saved = admin.put("/peppol/sending", {"endpoint": access_point.url, "token": TOKEN})
    assert saved.status == 200 and saved.json == {"endpoint": access_point.url,
                                                  "has_token": True}
    assert admin.get("/peppol/sending").json == saved.json

    number = belgian_number(77)
    customer = {**CUSTOMER, "name": "Peppol Klant NV", "enterprise_number": number,
                "vat": f"BE{number}"}
    empty_sml.register(f"0208:{number}", "http://127.0.0.1:9/")  # its SMP is away
    client_id = firm.new_client()["id"]
    assert accountant.put(f"/clients/{client_id}/invoice-settings", SETTINGS).status == 200
    created = accountant.post(f"/clients/{client_id}/invoices", _draft(customer))
    assert created.status == 201, created
    path = f"/clients/{client_id}/invoices/{created.json['id']}"
    assert accountant.post(path + "/issue").status == 200

    sent = accountant.post(path + "/send")
    assert sent.status == 200, sent
    assert (sent.json["status"], sent.json["sent_via"], sent.json["sent_to"]) == (
        "Sent", "peppol", f"0208:{number}")
    [transmission] = access_point.transmissions.values()
    assert transmission.header.receiver == f"0208:{number}"
    assert accountant.post(path + "/send").status == 409
    assert accountant.post(path + "/check-delivery").json["status"] == "Sent"
    access_point.deliver(transmission.transmission_id)
    delivered = accountant.post(path + "/check-delivery")
    assert delivered.status == 200 and delivered.json["status"] == "Delivered"
    assert delivered.json["transmission_id"] == transmission.transmission_id

    any_api.settle()
    history = accountant.get(f"/clients/{client_id}/history?page_size=1000").json["items"]
    invoice_events = [(e["what"], e["label"]) for e in history if e["subject"] == "invoice"]
    number_issued = delivered.json["number"]
    assert invoice_events == [
        ("InvoiceDrafted", "Invoice draft for Peppol Klant NV"),
        ("InvoiceIssued", f"Invoice {number_issued}"),
        ("InvoiceSent", f"Invoice {number_issued}"),
        ("InvoiceDelivered", f"Invoice {number_issued}")]
    assert any(e["subject"] == "invoice-settings" for e in history)


def test_customers_are_found_among_earlier_ones_and_in_the_company_register(
        any_api: ApiServer, tmp_path: Path):
    with Extract(full_extract(tmp_path)) as extract:
        import_extract(any_api.services.read_db, extract)
    firm = any_api.firm()
    http = firm.accountant
    client_id = firm.new_client()["id"]
    assert http.post(f"/clients/{client_id}/invoices", _draft(CUSTOMER)).status == 201
    any_api.settle()

    earlier = http.get(f"/clients/{client_id}/invoice-customers?q=koninck")
    assert earlier.status == 200
    assert earlier.json["items"] == [
        {"source": "earlier", "customer": {**CUSTOMER, "reference": ""}}]
    by_number = http.get(f"/clients/{client_id}/invoice-customers?q=0202.239.951")
    assert [m["source"] for m in by_number.json["items"]][:1] == ["earlier"]

    register = http.get(f"/clients/{client_id}/invoice-customers?q=BE0417497106")
    [found] = register.json["items"]
    assert found["source"] == "register"
    assert found["customer"]["name"] == "Brouwerij Het Anker"
    assert found["customer"]["enterprise_number"] == "0417497106"
    assert found["customer"]["country"] == "BE" and found["customer"]["city"]
    missing = http.get(f"/clients/{client_id}/invoice-customers")
    assert missing.status == 400 and "q" in missing.json["error"]["fields"]
