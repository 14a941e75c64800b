"""A client's settings over HTTP: Peppol, the integration, allowed senders, team,
auto-send, and the admin-only visibility and firm contact."""

from __future__ import annotations

from tests.e2e.api.conftest import ApiServer, Firm

MAIL = {"purchase_address": "Inbox@Clearfacts.example"}


def test_peppol_directions_follow_the_state_put_and_delete_disables_both(firm: Firm):
    client = firm.new_client()
    path = f"/clients/{client['id']}/peppol"
    both = firm.accountant.put(path, {"send": True, "receive": True}).json
    assert (both["peppol_send"], both["peppol_receive"]) == (True, True)
    receive_only = firm.accountant.put(path, {"send": False, "receive": True}).json
    assert (receive_only["peppol_send"], receive_only["peppol_receive"]) == (False, True)
    none = firm.accountant.delete(path).json
    assert (none["peppol_send"], none["peppol_receive"]) == (False, False)
    missing = firm.accountant.put(path, {"send": True})
    assert missing.status == 400 and list(missing.error["fields"]) == ["receive"]


def test_an_email_integration_is_linked_with_its_settings_and_unlinked(firm: Firm):
    client = firm.new_client()
    path = f"/clients/{client['id']}/integration"
    linked = firm.accountant.put(path, {"package": "clearfacts", "settings": MAIL, "ubl": True})
    assert linked.status == 200, linked
    assert (linked.json["integration_package"], linked.json["integration_kind"],
            linked.json["integration_name"], linked.json["integration_ubl"]) == (
        "clearfacts", "email", "Clearfacts", True)
    assert linked.json["profile"]["integration_settings"] == {
        "purchase_address": "inbox@clearfacts.example"}
    unlinked = firm.accountant.delete(path)
    assert unlinked.status == 200 and unlinked.json["integration_package"] is None
    again = firm.accountant.delete(path)
    assert again.status == 409 and again.error["code"] == "no_integration_linked"


def test_one_integration_at_a_time_and_api_packages_need_the_firms_configuration(
        api: ApiServer, firm: Firm):
    client = firm.new_client()
    path = f"/clients/{client['id']}/integration"
    unconfigured = firm.admin.put(path, {"package": "exact-online-api"})
    assert unconfigured.status == 409
    assert unconfigured.error["code"] == "portal_configuration_missing"
    api.services.app.configure_portal_integration(
        firm.id, "exact-online-api", {"credentials_ref": "exact"}, firm.office.admin)
    assert firm.admin.put(path, {"package": "exact-online-api",
                                 "settings": {"administration": "1234"}}).status == 200
    second = firm.admin.put(path, {"package": "clearfacts", "settings": MAIL})
    assert second.status == 409 and second.error["code"] == "one_integration_at_a_time"


def test_integration_settings_are_checked_by_package(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}/integration"
    unknown_setting = firm.admin.put(path, {"package": "clearfacts",
                                            "settings": {**MAIL, "folder": "/in"}})
    assert unknown_setting.status == 422
    assert list(unknown_setting.error["fields"]) == ["settings.folder"]
    no_address = firm.admin.put(path, {"package": "clearfacts"})
    assert no_address.status == 422
    assert list(no_address.error["fields"]) == ["settings.purchase_address"]
    unknown_package = firm.admin.put(path, {"package": "excel"})
    assert unknown_package.status == 400 and list(unknown_package.error["fields"]) == [
        "package"]


def test_allowed_senders_are_normalised_and_a_bad_one_is_named(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}/allowed-senders"
    reply = firm.accountant.put(path, {"senders": ["AP@Acme.be", "@supplier.example"]})
    assert reply.json["profile"]["allowed_senders"] == ["ap@acme.be", "supplier.example"]
    bad = firm.accountant.put(path, {"senders": ["ok.example", "not a sender"]})
    assert bad.status == 422 and list(bad.error["fields"]) == ["senders[1]"]


def test_teams_and_auto_send_are_anyones_to_change(api: ApiServer, firm: Firm):
    team_id = api.services.app.create_team(firm.id, "Team Brugge", firm.office.admin)
    path = f"/clients/{firm.new_client()['id']}"
    assigned = firm.accountant.put(f"{path}/team", {"team_id": str(team_id)}).json
    assert (assigned["team_id"], assigned["team_name"]) == (str(team_id), "Team Brugge")
    assert firm.accountant.put(f"{path}/team", {"team_id": None}).json["team_id"] is None
    unknown = firm.accountant.put(f"{path}/team", {"team_id": firm.id.hex})
    assert unknown.status == 422 and list(unknown.error["fields"]) == ["team_id"]
    assert firm.accountant.put(f"{path}/auto-send", {"auto_send": False}).json[
        "auto_send"] is False


def test_only_admins_hide_clients_and_change_their_firm_contact(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}"
    hide = firm.accountant.put(f"{path}/visibility", {"hidden": True})
    assert hide.status == 403 and hide.error["code"] == "forbidden"
    contact = firm.accountant.put(f"{path}/firm-contact", {"staff_id": firm.office.admin.id})
    assert contact.status == 403
    changed = firm.admin.put(f"{path}/firm-contact", {"staff_id": firm.office.accountant.id})
    assert changed.status == 200 and changed.json["firm_contact_name"] == "Lotte Accountant"
    unknown = firm.admin.put(f"{path}/firm-contact", {"staff_id": firm.id.hex})
    assert unknown.status == 422 and list(unknown.error["fields"]) == ["staff_id"]
    assert firm.admin.put(f"{path}/firm-contact", {"staff_id": None}).json[
        "firm_contact_id"] is None
    assert firm.admin.put(f"{path}/visibility", {"hidden": True}).json["hidden"] is True
    assert firm.admin.put(f"{path}/visibility", {"hidden": False}).json["hidden"] is False


def test_settings_refuse_unknown_fields_too(firm: Firm):
    path = f"/clients/{firm.new_client()['id']}"
    for sub, body in (("auto-send", {"auto_send": True, "when": "always"}),
                      ("visibility", {"hidden": True, "reason": "x"}),
                      ("peppol", {"send": True, "receive": True, "smp": "x"})):
        reply = firm.admin.put(f"{path}/{sub}", body)
        assert reply.status == 400 and len(reply.error["fields"]) == 1, (sub, reply)

