"""The local outbox (no SMTP relay): every e-mail is kept as an .eml file, listed for
admins on the dashboard and in the API, and the e-mail packages deliver through it."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from uuid import UUID, uuid4

from lucy_events.access_tokens import AccessTokens
from lucy_events.notifications.outbox import Outbox
from lucy_events.routers.integrations import Outgoing, Target
from lucy_events.routers.integrations.email import EmailIntegration
from lucy_events.web.api.invitations import link_for
from tests.integration.onboarding.conftest import Site
from tests.mail_support import bodies


def _message(message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@x.test", "b@y.test", "Hello"
    message["Message-ID"] = message_id
    message["X-Lucy-Firm"] = "firm-1"
    message.set_content("hello\n")
    return message


def test_a_message_sent_twice_is_one_file_written_whole(tmp_path: Path):
    box = Outbox(tmp_path / "outbox")
    box.send(_message("<one@lucy-events>"))
    box.send(_message("<one@lucy-events>"))
    box.send(_message("<two@lucy-events>"))
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert len(files) == 2 and all(name.endswith(".eml") for name in files)
    assert [e.subject for e in box.entries("firm-1")] == ["Hello", "Hello"]
    assert box.raw("../../etc/passwd") is None


def test_e_mail_packages_deliver_through_the_outbox(tmp_path: Path):
    box = Outbox(tmp_path / "outbox")
    outgoing = Outgoing(
        document_id=uuid4(), client_id=uuid4(), firm_id=uuid4(), client_name="Bakkerij",
        client_vat=None, client_enterprise_number=None, file_name="invoice.pdf",
        media_type="application/pdf", content=b"%PDF-1.4\n%%EOF\n",
        document_type="purchase-invoice", received_at=datetime.now(UTC))
    target = Target("winbooks", "email", {"purchase_address": "in@winbooks.example"})
    delivered = EmailIntegration(box).deliver(outgoing, target)
    [entry] = box.entries(str(outgoing.firm_id))
    assert entry.to == "in@winbooks.example" and delivered.remote_reference == entry.message_id
    message = box.message(entry.entry_id)
    assert message is not None
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invoice.pdf"


def test_admins_read_the_outbox_on_the_dashboard_and_in_the_api(outbox_site: Site):
    site = outbox_site
    client_id = site.office.new_client()
    with site.flask.app_context():
        site.services.invitation_mail().invite(site.office.firm_id, client_id,
                                               site.office.admin, link_for)
    admin = site.signed_in()
    listing = admin.get("/outbox")
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "anna@bakkerij.example" in page
    assert "Dupont &amp; Partners nodigt Bakkerij Claes uit" in page
    box = site.services.outbox()
    assert box is not None
    [entry] = box.entries(str(site.office.firm_id))
    opened = admin.get(f"/outbox/{entry.entry_id}").get_data(as_text=True)
    assert "Activeer uw account" in opened and "/invitations/" in opened
    raw = admin.get(f"/outbox/{entry.entry_id}.eml")
    assert raw.mimetype == "message/rfc822"
    accountant = site.signed_in(UUID(site.office.accountant.id))
    assert accountant.get("/outbox").status_code == 403

    api = site.flask.test_client()
    tokens = AccessTokens(site.services.read_db)
    bearer = {"Authorization": "Bearer " + tokens.issue(site.office.firm_id,
                                                        UUID(site.office.admin.id))}
    answer = api.get("/api/v1/outbox", headers=bearer).get_json()
    assert answer["backend"] == "outbox"
    assert [m["to"] for m in answer["messages"]] == ["Anna Claes <anna@bakkerij.example>"]
    whole = api.get(f"/api/v1/outbox/{entry.entry_id}", headers=bearer)
    assert whole.mimetype == "message/rfc822"
    assert api.get("/api/v1/outbox/20260101T000000000000Z-0000000000000000",
                   headers=bearer).status_code == 404
    other = {"Authorization": "Bearer " + tokens.issue(site.office.firm_id,
                                                       UUID(site.office.accountant.id))}
    assert api.get("/api/v1/outbox", headers=other).status_code == 403
    assert bodies(box.message(entry.entry_id))[0].startswith("Beste Anna")  # type: ignore[arg-type]
