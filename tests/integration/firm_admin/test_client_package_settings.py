"""A client's package settings are changed without unlinking, validated when saved (an
Exact Online division is a number); on Failed deliveries "Send again" leaves out what
needs a fix first and links to the fix."""

from __future__ import annotations

import re
from uuid import UUID

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import DocumentStatus
from tests.integration.onboarding.conftest import Site

ROUTER = Actor.system("router")


def _exact_client(site: Site) -> UUID:
    app, office = site.services.app, site.office
    app.configure_portal_integration(office.firm_id, "exact-online-api",
                                     {"credentials_ref": "exact"}, office.admin)
    client_id = office.new_client()
    app.link_integration(office.firm_id, client_id, "exact-online-api", office.admin)
    return client_id


def test_an_exact_division_is_fixed_in_place_and_must_be_a_number(outbox_site: Site):
    site = outbox_site
    client_id = _exact_client(site)
    token = AccessTokens(site.services.read_db).issue(site.office.firm_id,
                                                      UUID(site.office.accountant.id))
    api = site.flask.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/clients/{client_id}/integration/settings"
    wrong = api.put(path, json={"settings": {"administration": "Bakkerij"}}, headers=headers)
    assert wrong.status_code == 422
    assert "settings.administration" in wrong.json["error"]["fields"]
    fixed = api.put(path, json={"settings": {"administration": "123456"}}, headers=headers)
    assert fixed.status_code in (200, 202), fixed.json
    client = site.services.app.client_for_operator(client_id)
    assert client.integration == {"package": "exact-online-api", "kind": "api",
                                  "settings": {"administration": "123456"}, "ubl": False}
    stored = [e.topic.rsplit(".", 1)[-1] for e in
              site.services.app.recorder.select_events(client_id)]
    assert stored[-1] == "IntegrationSettingsChanged" and "IntegrationUnlinked" not in stored


def test_failed_deliveries_offer_send_again_only_where_no_fix_is_needed(outbox_site: Site):
    site = outbox_site
    client_id = _exact_client(site)
    app, office = site.services.app, site.office
    broken, flaky = office.receive(client_id), office.receive(client_id)
    for document_id, retryable in ((broken, False), (flaky, True)):
        app.request_send(office.firm_id, document_id, office.admin)
        app.record_send_failure(document_id, "Exact Online needs the client's division "
                                "(settings.administration) as a number" if not retryable
                                else "Exact Online: HTTP 503", retryable, ROUTER)
    site.settle()
    browser = site.signed_in()
    page = browser.get("/deliveries").get_data(as_text=True)
    assert "Send these 1 again" in page and "1 needs a fix first" in page
    fix = re.search(r'href="(/clients/[^"]+/integrations)#integration-settings">Fix the '
                    r'settings', page)
    assert fix and str(client_id) in fix.group(1)
    assert site.post(browser, "/deliveries/retry").status_code == 303
    assert app.document(office.firm_id, broken).status is DocumentStatus.FAILED
    assert app.document(office.firm_id, flaky).status is DocumentStatus.SENDING

    tab = browser.get(fix.group(1)).get_data(as_text=True)
    assert 'id="integration-settings"' in tab
    saved = site.post(browser, f"/clients/{client_id}/integration/settings",
                      **{"settings.administration": "x1"})
    assert saved.status_code == 422 and "Must be the Exact Online division" in saved.get_data(
        as_text=True)
    assert site.post(browser, f"/clients/{client_id}/integration/settings",
                     **{"settings.administration": "654321"}).status_code == 303
    assert app.client_for_operator(client_id).integration["settings"] == {
        "administration": "654321"}
