"""An admin erases a person's personal data over HTTP (``POST /erasures``), on SQLite and
PostgreSQL: before, every presenter (the API's history and exports, the dashboard's
History tab and its exports, the client's page) shows the person; after, each shows
"erased person" in their place, the client and its documents stay, and the hash chain
still verifies."""

from __future__ import annotations

from uuid import UUID

from lucy_events.audit.person_keys import person_id
from lucy_events.audit.verify import chained, verify
from tests.e2e.api.conftest import ApiServer, Firm
from tests.e2e.api.test_audit_history import _dashboard
from tests.support import CONTACT

ADDRESS = CONTACT["email"]


def _presented(api: ApiServer, firm: Firm, client_id: str) -> dict[str, str]:
    """What each presenter shows of the client's history, and the client's own page."""
    browser = _dashboard(api, firm)
    path = f"/clients/{client_id}/history"
    shown = {"api": firm.admin.get(path).content.decode(),
             "client": firm.admin.get(f"/clients/{client_id}").content.decode(),
             "tab": browser.get(path).content.decode()}
    for fmt in ("csv", "json", "html"):
        shown[f"api {fmt}"] = firm.admin.get(f"{path}/export", format=fmt).content.decode()
        shown[f"tab {fmt}"] = browser.get(f"{path}/export", format=fmt).content.decode()
    return shown


def test_an_admin_erases_a_clients_contact_and_every_presenter_shows_erased_person(
        any_api: ApiServer):
    api = any_api
    firm = api.firm()
    client = firm.new_client()
    assert firm.admin.post(f"/clients/{client['id']}/invitation").status in (200, 201)
    document = firm.upload(client["id"])
    api.settle()
    before = _presented(api, firm, client["id"])
    for name, text in before.items():
        assert ADDRESS in text, name
    assert firm.accountant.post("/erasures", {"client_id": client["id"],
                                              "reason": "ticket 1"}).status == 403

    reply = firm.admin.post("/erasures", {"client_id": client["id"], "reason": "ticket 1"})

    assert reply.status == 201, reply
    person = person_id(firm.id, "email", ADDRESS)
    assert reply.json["person_id"] == str(person) and reply.json["key_destroyed"] is True
    assert "dashboard" in reply.json["rebuilt"]
    keys = api.services.app.person_keys
    assert keys is not None and not keys.exists(person)
    after = _presented(api, firm, client["id"])
    for name, text in after.items():
        assert ADDRESS not in text and CONTACT["first_name"] not in text, name
        assert "erased person" in text and "Bakkerij Claes" in text, name
    assert firm.admin.get(f"/documents/{document['id']}").status == 200
    assert verify(chained(api.services.app.recorder)).broken is None


def test_a_former_staff_member_is_erased_but_not_one_still_on_the_staff(any_api: ApiServer):
    api = any_api
    firm = api.firm()
    app = api.services.app
    staff_id = app.add_staff_member(firm.id, "Karel Vos", "karel@firm.example", "accountant",
                                    firm.office.admin)
    still = firm.admin.post("/erasures", {"staff_id": str(staff_id), "reason": "r"})
    assert still.status == 409 and "remove them" in still.error["message"]
    assert firm.admin.delete(f"/staff/{staff_id}").status in (200, 204)

    reply = firm.admin.post("/erasures", {"staff_id": str(staff_id), "reason": "ticket 2"})

    assert reply.status == 201 and reply.json["identified_by"] == "staff"
    assert app.firm(firm.id).staff_names[UUID(str(staff_id))] == "erased person"
    assert verify(chained(app.recorder)).broken is None


def test_an_erasure_names_exactly_one_person(api: ApiServer, firm: Firm):
    none = firm.admin.post("/erasures", {"reason": "r"})
    assert none.status == 422 and list(none.error["fields"]) == ["person"]
    two = firm.admin.post("/erasures", {"email": "a@b.example",
                                        "staff_id": "00000000-0000-4000-8000-000000000000",
                                        "reason": "r"})
    assert two.status == 422
    bad = firm.admin.post("/erasures", {"email": "not an address", "reason": "r"})
    assert bad.status == 422 and list(bad.error["fields"]) == ["email"]
    unknown = firm.admin.post("/erasures", {"email": "nobody@x.example", "reason": "r"})
    assert unknown.status == 201 and unknown.json["key_destroyed"] is False
