"""POST /clients refuses a second client of the same company with 409 and names the
existing one."""

from __future__ import annotations

from tests.e2e.api.conftest import ApiServer, client_body


def test_a_second_client_with_the_same_enterprise_number_is_a_409_naming_the_first(
        any_api: ApiServer):
    firm = any_api.firm()
    first = firm.new_client(enterprise_number="0417.497.106")
    again = firm.accountant.post("/clients", client_body(name="Het Anker bis",
                                                         enterprise_number="BE0417497106"))
    assert again.status == 409
    assert again.error["code"] == "duplicate_client"
    assert again.error["existing_client_id"] == first["id"]
    assert again.error["existing_client_url"] == f"/api/v1/clients/{first['id']}"
    assert "enterprise_number" in again.error["fields"]


def test_a_dutch_company_is_refused_again_by_its_vat_number_alone(any_api: ApiServer):
    firm = any_api.firm()
    first = firm.new_client(name="Bakkerij de Vries", country="NL",
                            enterprise_number="12345678", vat_number="NL004495445B01")
    any_api.settle()  # the read model knows the first client's VAT number
    again = firm.admin.post("/clients", client_body(
        name="De Vries", country="NL", enterprise_number=None, vat_number="NL004495445B01"))
    assert again.status == 409 and again.error["existing_client_id"] == first["id"]
