"""A client with allowed senders takes mail only from them, authenticated by SPF or
DKIM; other mail waits in its quarantine, which admins list, release or discard
through the API."""

from __future__ import annotations

from uuid import UUID

from tests.e2e.smtp.conftest import IntakeSite
from tests.mails import PDF, mail


def guarded_client(site: IntakeSite, firm, *senders: str) -> tuple[dict, str]:
    client = site.new_client(firm)
    reply = firm.admin.put(f"/clients/{client['id']}/allowed-senders",
                           {"senders": list(senders)})
    assert reply.status in (200, 202), reply
    return client, site.address(client["id"])


def documents(site, firm, client_id):
    site.settle()
    return firm.admin.get(f"/clients/{client_id}/documents").json["items"]


def quarantine(firm, client_id):
    reply = firm.admin.get(f"/clients/{client_id}/quarantine")
    assert reply.status == 200, reply
    return reply.json["items"]


def test_an_allowed_sender_whose_spf_passes_is_taken_in(site, firm):
    client, to = guarded_client(site, firm, "supplier.example")
    site.send(mail(to=to), [to], mail_from="ap@supplier.example")
    assert [d["file_name"] for d in documents(site, firm, client["id"])] == ["invoice.pdf"]
    assert quarantine(firm, client["id"]) == []


def test_an_allowed_sender_signed_with_dkim_is_taken_in_though_spf_fails(site, firm):
    client, to = guarded_client(site, firm, "signed.example")
    raw = site.key.sign(mail(sender="ap@signed.example", to=to))
    site.send(raw, [to], mail_from="ap@signed.example")
    assert [d["sender"] for d in documents(site, firm, client["id"])] == ["ap@signed.example"]


def test_a_sender_not_on_the_list_is_quarantined_not_dropped(site, firm):
    client, to = guarded_client(site, firm, "supplier.example")
    reply = site.send(mail(sender="ceo@bank.example", to=to, subject="Pay today"), [to],
                      mail_from="ceo@bank.example")
    assert reply == {}  # 250: the mail is kept, in quarantine
    assert documents(site, firm, client["id"]) == []
    [held] = quarantine(firm, client["id"])
    assert (held["sender"], held["subject"], held["reason"], held["attachments"]) == (
        "ceo@bank.example", "Pay today", "sender not allowed", ["invoice.pdf"])


def test_an_allowed_address_that_spf_rejects_is_quarantined_with_the_results(site, firm):
    client, to = guarded_client(site, firm, "ap@spoofed.example")
    site.send(mail(sender="ap@spoofed.example", to=to), [to], mail_from="ap@spoofed.example")
    [held] = quarantine(firm, client["id"])
    assert held["reason"] == "SPF fail, DKIM none"


def test_an_admin_releases_quarantined_mail_and_it_becomes_documents_recorded_as_theirs(
        site, firm):
    client, to = guarded_client(site, firm, "supplier.example")
    site.send(mail(sender="owner@client.example", to=to, attachments=[
        ("late.pdf", "application/pdf", PDF + b"late")]), [to],
        mail_from="owner@client.example")
    [held] = quarantine(firm, client["id"])
    reply = firm.admin.post(f"/clients/{client['id']}/quarantine/{held['id']}/release")
    assert reply.status == 200, reply
    [document_id] = reply.json["document_ids"]
    [listed] = documents(site, firm, client["id"])
    assert (listed["id"], listed["file_name"], listed["sender"]) == (
        document_id, "late.pdf", "owner@client.example")
    document = site.api.services.app.document_for_system(UUID(document_id))
    assert document.channel == "email"
    assert quarantine(firm, client["id"]) == []
    again = firm.admin.post(f"/clients/{client['id']}/quarantine/{held['id']}/release")
    assert again.status == 404


def test_an_admin_discards_quarantined_mail(site, firm):
    client, to = guarded_client(site, firm, "supplier.example")
    site.send(mail(sender="spam@else.example", to=to), [to], mail_from="spam@else.example")
    [held] = quarantine(firm, client["id"])
    reply = firm.admin.post(f"/clients/{client['id']}/quarantine/{held['id']}/discard")
    assert reply.status == 204
    assert quarantine(firm, client["id"]) == [] and documents(site, firm, client["id"]) == []
    history = firm.admin.get(f"/clients/{client['id']}/history").json
    assert "QuarantinedMailDiscarded" in str(history)


def test_an_accountant_may_not_see_or_decide_quarantined_mail(site, firm):
    client, to = guarded_client(site, firm, "supplier.example")
    site.send(mail(sender="x@else.example", to=to), [to], mail_from="x@else.example")
    [held] = quarantine(firm, client["id"])
    assert firm.accountant.get(f"/clients/{client['id']}/quarantine").status == 403
    assert firm.accountant.post(
        f"/clients/{client['id']}/quarantine/{held['id']}/release").status == 403


def test_the_quarantine_endpoints_are_described_in_the_openapi_document(site, firm):
    paths = firm.admin.get("/openapi.json").json["paths"]
    assert "/api/v1/clients/{client_id}/quarantine" in paths
    assert "post" in paths["/api/v1/clients/{client_id}/quarantine/{mail_id}/release"]
    assert "post" in paths["/api/v1/clients/{client_id}/quarantine/{mail_id}/discard"]


def test_a_mail_sent_right_after_the_allowed_senders_change_is_decided_by_the_new_list(
        site, firm):
    client = site.new_client(firm)
    to = site.address(client["id"])
    site.send(mail(sender="ap@else.example", to=to), [to], mail_from="ap@else.example")
    reply = firm.admin.put(f"/clients/{client['id']}/allowed-senders",
                           {"senders": ["supplier.example"]})
    assert reply.status == 200, reply
    site.send(mail(sender="ap@else.example", to=to, subject="Second"), [to],
              mail_from="ap@else.example")
    assert [m["subject"] for m in quarantine(firm, client["id"])] == ["Second"]
    firm.admin.put(f"/clients/{client['id']}/allowed-senders", {"senders": []})
    site.send(mail(sender="ap@else.example", to=to, subject="Third", attachments=[
        ("third.pdf", "application/pdf", PDF + b"third")]), [to], mail_from="ap@else.example")
    assert sorted(d["file_name"] for d in documents(site, firm, client["id"])) == [
        "invoice.pdf", "third.pdf"]
