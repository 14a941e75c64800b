"""Services per client with staff access (Visma Advisor): the firm defines services; an
admin gives a client a service with an owner and participants; My clients then lists it
for them; each change is an event; the client page shows them."""

from __future__ import annotations

from uuid import UUID

from lucy_events.access_tokens import AccessTokens
from tests.integration.onboarding.conftest import Site


def _api(site: Site, staff_id: str):  # type: ignore[no-untyped-def]
    browser = site.flask.test_client()
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id, UUID(staff_id))

    def call(method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return browser.open(f"/api/v1{path}", method=method, json=body,
                            headers={"Authorization": f"Bearer {token}"})
    return call


def test_a_participant_has_the_client_under_my_clients_until_the_service_ends(
        outbox_site: Site):
    site = outbox_site
    admin, accountant = _api(site, site.office.admin.id), _api(site, site.office.accountant.id)
    client_id = site.office.new_client(firm_contact_id=None)
    payroll = admin("POST", "/services", {"name": "Payroll"})
    assert payroll.status_code == 201
    assert admin("POST", "/services", {"name": "payroll"}).status_code == 409
    assert accountant("POST", "/services", {"name": "VAT returns"}).status_code == 403
    assert [s["name"] for s in accountant("GET", "/services").json["services"]] == ["Payroll"]
    site.settle()

    def mine() -> list[str]:
        return [c["id"] for c in accountant("GET", "/clients?tab=mine").json["items"]]
    assert str(client_id) not in mine()

    path = f"/clients/{client_id}/services/{payroll.json['id']}"
    assert accountant("PUT", path, {"owner_id": site.office.accountant.id}).status_code == 403
    unknown = admin("PUT", path, {"owner_id": "00000000-0000-4000-8000-000000000000"})
    assert unknown.status_code == 422 and "owner_id" in unknown.json["error"]["fields"]
    given = admin("PUT", path, {"owner_id": site.office.admin.id,
                                "participant_ids": [site.office.accountant.id]})
    assert given.status_code in (200, 202), given.json
    site.settle()
    assert mine() == [str(client_id)]
    client = site.services.app.client_for_operator(client_id)
    assert client.participants == {UUID(site.office.admin.id), UUID(site.office.accountant.id)}

    page = site.signed_in().get(f"/clients/{client_id}").get_data(as_text=True)
    assert 'data-service="Payroll"' in page and "owner " in page

    assert admin("DELETE", path).status_code in (200, 202)
    site.settle()
    assert str(client_id) not in mine()
    stored = [e.topic.rsplit(".", 1)[-1] for e in
              site.services.app.recorder.select_events(client_id)]
    assert stored[-2:] == ["ServiceAssigned", "ServiceEnded"]
