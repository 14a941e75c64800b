"""When the DNS server does not answer, an allowed sender cannot be checked: the mail is
deferred (451, the sender retries), not quarantined and not lost."""

from __future__ import annotations

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.intake.allowed_senders import AllowedSenders
from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
from lucy_events.intake.mail_intake import ArrivedMail, Inbox, MailIntake
from lucy_events.intake.sender_auth import Authenticator
from tests.integration.intake.local_dns import free_udp_port
from tests.mails import mail, wire
from tests.support import open_office


def test_a_mail_for_a_guarded_inbox_is_deferred_while_dns_does_not_answer():
    app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                          blobs=InMemoryBlobStore())
    office = open_office(app)
    client_id = office.new_client()
    app.change_allowed_senders(office.firm_id, client_id, ["supplier.example"], office.admin)
    silent = resolver_at(("127.0.0.1", free_udp_port()), timeout=0.3)  # nobody listens
    intake = MailIntake(app, lambda local: (office.firm_id, client_id),
                        AllowedSenders(app, lambda client: None),  # no read model here
                        Authenticator(DnsLookups(silent)), "inbox.test")
    head = app.recorder.max_notification_id()
    reply = intake.take_in(ArrivedMail(
        wire(mail()), [Inbox(office.firm_id, client_id, "x@inbox.test")],
        "ap@supplier.example", "127.0.0.1", "mx.supplier.example"))
    assert reply.startswith("451 4.4.3")
    assert app.recorder.max_notification_id() == head
    assert app.client(office.firm_id, client_id).quarantine == {}
