"""The client page's Users tab ("Replace" while the user is new), and ended trials marked
on the dashboard with the plan after the trial."""

from __future__ import annotations

from lucy_events.web.api.invitations import link_for
from tests.integration.onboarding.conftest import Site
from tests.mail_support import Inbox


def test_the_users_tab_offers_replace_while_the_user_is_new(site: Site, smtp_inbox: Inbox):
    client_id = site.office.new_client()
    with site.flask.app_context():
        old = site.services.invitation_mail().invite(site.office.firm_id, client_id,
                                                     site.office.admin, link_for)
    site.settle()
    browser = site.signed_in()
    tab = browser.get(f"/clients/{client_id}/users").get_data(as_text=True)
    assert "anna@bakkerij.example" in tab and "invited, not yet accepted" in tab
    assert f"/clients/{client_id}/users?replace=1" in tab
    form = browser.get(f"/clients/{client_id}/users?replace=1").get_data(as_text=True)
    assert "Replace the user" in form and "stops working" in form
    replaced = site.post(browser, f"/clients/{client_id}/users/replace", **{
        "contact_person.first_name": "Bram", "contact_person.last_name": "Claes",
        "contact_person.email": "bram@bakkerij.example"})
    assert replaced.status_code == 303
    site.settle()
    after = browser.get(replaced.headers["Location"]).get_data(as_text=True)
    assert "Bram Claes replaces the user" in after
    assert "The invitation was e-mailed to Bram Claes &lt;bram@bakkerij.example&gt;" in after
    assert len(smtp_inbox.to("bram@bakkerij.example")) == 1
    new_token = site.services.app.client_for_operator(client_id).invitation_token_hash
    assert new_token and new_token != old.token


def test_an_active_user_cannot_be_replaced_and_an_ended_trial_is_marked(site: Site):
    client_id = site.office.new_client()
    with site.flask.app_context():
        token = site.services.invitation_mail().invite(site.office.firm_id, client_id,
                                                       site.office.admin, link_for).token
    site.services.app.accept_invitation(token)
    site.settle()
    browser = site.signed_in()
    tab = browser.get(f"/clients/{client_id}/users").get_data(as_text=True)
    assert "Replace" not in tab.split('id="users-title"', 1)[1].split("</section>")[0]
    overview = browser.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Business Pro (free trial)" in overview and "Trial ended" not in overview
    site.clock.advance(days=31)
    overview = browser.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Plan after the trial" in overview and "trial-ended" in overview
    listing = browser.get("/?tab=all").get_data(as_text=True)
    assert "trial-ended" in listing
