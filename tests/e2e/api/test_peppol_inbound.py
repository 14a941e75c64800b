"""POST /api/v1/peppol/inbound as the firm's access point does, over real HTTP: the
document lands in the right client's Inbox with its validation result; unknown
receivers are parked for admins; only the access point's token is accepted."""

from __future__ import annotations

import time
from typing import Any

import pytest

from lucy_events.intake.access_points import AccessPoints
from tests.e2e.api.conftest import UPLOAD_LIMIT, ApiServer, Firm
from tests.e2e.api.http_client import Http, Reply
from tests.peppol_invoices import be_number, belgian, edited, in_sbd, with_pdf

SUPPLIER = be_number(4031707)
XXE = (b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
       b"<ID>&xxe;</ID></Invoice>")


def access_point(api: ApiServer, firm: Firm) -> Http:
    _, token = AccessPoints(api.services.read_db).add(firm.id, "Test access point")
    return api.http_for(token)


def post(http: Http, content: bytes) -> Reply:
    return http.call("POST", "/peppol/inbound", data=content,
                     headers={"Content-Type": "application/xml", "X-File-Name": "in.xml"})


def customer_number(firm: Firm) -> str:
    return be_number(2_000_000 + firm.id.int % 1_000_000)


def shown_validation(firm: Firm, document_id: str) -> dict[str, Any]:
    """The document's JSON once the peppol read model has caught up."""
    deadline = time.monotonic() + 10
    while True:
        document = firm.admin.get(f"/documents/{document_id}").json
        if document["peppol_validation"] is not None or time.monotonic() > deadline:
            return document


def test_a_valid_invoice_lands_in_the_right_clients_inbox_with_its_result(any_api):
    api, firm = any_api, any_api.firm()
    customer = customer_number(firm)
    client = firm.new_client(enterprise_number=customer)
    firm.new_client()  # another client of the firm
    reply = post(access_point(api, firm), in_sbd(belgian(supplier=SUPPLIER, customer=customer)))
    assert reply.status == 201, reply
    body = reply.json
    assert (body["status"], body["client_id"], body["document_type"]) == (
        "received", client["id"], "purchase-invoice")
    assert body["peppol_validation"]["valid"] is True
    inbox = firm.admin.get(f"/clients/{client['id']}/documents").json["items"]
    assert [(d["id"], d["channel"], d["status"], d["file_name"]) for d in inbox] == [
        (body["document_id"], "peppol", "Inbox", "in.xml")]
    document = shown_validation(firm, body["document_id"])
    assert document["peppol_validation"]["valid"] is True
    assert document["peppol_validation"]["errors"] == []


def test_an_invalid_invoice_is_kept_and_shows_its_rule_ids(api, firm):
    customer = customer_number(firm)
    firm.new_client(enterprise_number=customer)
    broken = edited(belgian(supplier=SUPPLIER, customer=customer),
                    "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "1600.00")
    reply = post(access_point(api, firm), with_pdf(broken, b"%PDF-1.4 r", "r.pdf"))
    assert reply.status == 201, reply
    assert reply.json["peppol_validation"]["valid"] is False
    shown = shown_validation(firm, reply.json["document_id"])["peppol_validation"]
    assert shown["valid"] is False
    assert {"BR-CO-15", "BR-CO-16"} <= {e["rule"] for e in shown["errors"]}
    assert all(e["flag"] == "fatal" and e["message"] and e["location"] for e in shown["errors"])
    assert shown["rendition"]["file_name"] == "r.pdf"


def test_an_unknown_receiver_is_parked_for_admins_and_replayed_once_the_client_exists(any_api):
    api, firm = any_api, any_api.firm()
    customer = customer_number(firm)
    reply = post(access_point(api, firm), belgian(supplier=SUPPLIER, customer=customer))
    assert reply.status == 202, reply
    assert reply.json["status"] == "parked" and f"0208:{customer}" in reply.json["reason"]
    parked = firm.admin.get("/peppol/parked").json["items"]
    assert [(p["id"], p["file_name"]) for p in parked] == [(reply.json["parked_id"], "in.xml")]
    assert firm.accountant.get("/peppol/parked").status == 403

    client = firm.new_client(enterprise_number=customer)
    replayed = firm.admin.post(f"/peppol/parked/{reply.json['parked_id']}/replay")
    assert replayed.status == 201, replayed
    assert replayed.json["client_id"] == client["id"]
    assert firm.admin.get("/peppol/parked").json["items"] == []


@pytest.mark.parametrize("token", [None, "lucy_ap_not-a-token", "garbage"])
def test_a_missing_or_wrong_token_gets_401(api, firm, token):
    reply = post(api.http_for(token), belgian(supplier=SUPPLIER))
    assert reply.status == 401 and reply.error["code"] == "unauthorized"


def test_a_staff_token_is_refused_and_an_access_point_token_opens_nothing_else(api, firm):
    assert post(firm.admin, belgian(supplier=SUPPLIER)).status == 403
    point = access_point(api, firm)
    assert point.get("/clients").status == 401


def test_a_revoked_access_point_token_stops_working_at_once(api, firm):
    points = AccessPoints(api.services.read_db)
    point, token = points.add(firm.id, "Old provider")
    assert points.revoke(firm.id, point.access_point_id)
    assert post(api.http_for(token), belgian(supplier=SUPPLIER)).status == 401


def test_xxe_is_refused_with_the_reason_and_nothing_is_kept(api, firm):
    reply = post(access_point(api, firm), XXE)
    assert reply.status == 422
    assert "DTD" in reply.error["fields"]["document"]
    assert firm.admin.get("/peppol/parked").json["items"] == []


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(api, firm):
    reply = post(access_point(api, firm), b"<" + b"x" * UPLOAD_LIMIT + b"/>")
    assert reply.status == 413
