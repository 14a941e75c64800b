"""GET /api/v1/register/search: staff search the company register to create clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from lucy_events.register import Extract, import_extract
from tests.e2e.api.conftest import ApiServer, Firm
from tests.register_extracts import full_extract


@pytest.fixture
def firm_with_register(any_api: ApiServer, tmp_path: Path) -> Firm:
    with Extract(full_extract(tmp_path)) as extract:
        import_extract(any_api.services.read_db, extract)
    return any_api.firm()


def test_staff_find_a_company_by_a_name_typed_without_accents(firm_with_register: Firm):
    reply = firm_with_register.accountant.get("/register/search?q=brasserie%20elegante"
                                              "&language=FR")
    assert reply.status == 200
    [entry] = reply.json["items"]
    assert entry == {
        "enterprise_number": "0456318682", "enterprise_number_display": "0456.318.682",
        "vat_number": "BE0456318682", "name": "Brasserie Élégante du Hainaut",
        "matched_name": "Brasserie Élégante du Hainaut", "legal_form_code": "610",
        "legal_form": "Société à responsabilité limitée", "status_code": "AC",
        "status": "Actif", "start_date": "1995-10-01",
        "address": {"street": "Grand-Place 12 boîte 3", "postal_code": "7000",
                    "city": "Mons", "country": "BE", "country_name": ""}}


def test_a_vat_number_finds_the_company(firm_with_register: Firm):
    reply = firm_with_register.admin.get("/register/search?q=BE0417497106")
    assert [e["name"] for e in reply.json["items"]] == ["Brouwerij Het Anker"]


def test_the_limit_is_bounded_and_the_query_required(firm_with_register: Firm):
    too_many = firm_with_register.admin.get("/register/search?q=anker&limit=500")
    assert too_many.status == 400 and "limit" in too_many.json["error"]["fields"]
    missing = firm_with_register.admin.get("/register/search")
    assert missing.status == 400 and "q" in missing.json["error"]["fields"]


def test_strangers_cannot_search_the_register(firm_with_register: Firm):
    assert firm_with_register.server.http_for(None).get("/register/search?q=anker").status == 401


def test_the_search_is_described_in_the_openapi_document(firm_with_register: Firm):
    paths = firm_with_register.admin.get("/openapi.json").json["paths"]
    assert "/api/v1/register/search" in paths
