"""The intake decides on allowed senders read from the inbox addresses read model, and
never on an outdated list: the read model carries the senders and the client version
they reflect; the event store's latest version tells the intake whether to trust it.

Every test runs on SQLite (the embedded default's files) and on PostgreSQL, with the
real projection fed from the notification log, a real DNS server for SPF, and the
intake taking in real mail bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.config import dns_resolver_address, persistence_env
from lucy_events.intake.allowed_senders import AllowedSenders
from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
from lucy_events.intake.mail_intake import ArrivedMail, MailIntake
from lucy_events.intake.sender_auth import Authenticator
from lucy_events.projections import rebuild
from lucy_events.projections.inbox_addresses import (
    InboxAddressesProjection,
    ProjectedSenders,
    client_of_local_part,
    projected_senders,
)
from lucy_events.sqldb import Database
from tests.integration.intake.local_dns import LocalDns
from tests.mails import mail, wire
from tests.support import Office, open_office

DOMAIN = "inbox.test"


class CountingApplication(LucyApplication):
    """The real application, counting how often the intake loads a whole client."""

    client_loads = 0

    def client_for_operator(self, client_id: UUID) -> Any:
        self.client_loads += 1
        return super().client_for_operator(client_id)


@dataclass
class Site:
    app: CountingApplication
    db: Database
    office: Office
    projection: ConsumerRuntime
    intake: MailIntake

    def catch_up(self) -> None:
        while self.projection.step():
            pass

    def address(self, client_id: UUID) -> str:
        return f"{self.app.client_for_operator(client_id).inbox_local_part}@{DOMAIN}"

    def send(self, client_id: UUID, sender: str) -> str:
        """The SMTP reply to a mail from ``sender`` to the client's inbox."""
        to = self.address(client_id)
        inbox = self.intake.inbox(to)
        assert inbox is not None
        return self.intake.take_in(ArrivedMail(
            wire(mail(sender=sender, to=to)), [inbox], sender, "127.0.0.1",
            "mx.supplier.example"))

    def quarantined(self, client_id: UUID) -> list[str]:
        client = self.app.client(self.office.firm_id, client_id, self.office.admin)
        return sorted(m.sender for m in client.quarantine.values())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/lucy.sqlite"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def site(database_url: str, local_dns: LocalDns) -> Iterator[Site]:
    local_dns.txt("supplier.example", "v=spf1 ip4:127.0.0.1 -all")
    local_dns.txt("other.example", "v=spf1 ip4:127.0.0.1 -all")
    app = CountingApplication(persistence_env(database_url), blobs=InMemoryBlobStore())
    db = Database.from_url(database_url)
    projection = InboxAddressesProjection(db)
    runtime = ConsumerRuntime(
        LogSource(app, db, projection.name, projection.topics, wakeup=threading.Event()),
        projection, StoreDeadLetters(db), poll_timeout=0)
    intake = MailIntake(
        app, lambda local_part: client_of_local_part(db, local_part),
        AllowedSenders(app, lambda client_id: projected_senders(db, client_id)),
        Authenticator(DnsLookups(resolver_at(dns_resolver_address(local_dns.address)))),
        DOMAIN)
    yield Site(app, db, open_office(app), runtime, intake)
    db.close()
    app.close()


def test_the_inbox_read_model_keeps_each_clients_allowed_senders_at_its_latest_version(site):
    app, office = site.app, site.office
    open_client, guarded = office.new_client(), office.new_client(name="Garage Dupont")
    app.change_allowed_senders(office.firm_id, guarded, ["supplier.example"], office.admin)
    app.change_allowed_senders(office.firm_id, guarded, ["ap@other.example",
                                                         "supplier.example"], office.admin)
    app.change_auto_send(office.firm_id, guarded, False, office.admin)  # not a sender change
    site.catch_up()
    assert projected_senders(site.db, open_client) == ProjectedSenders(
        app.latest_version(open_client), ())
    assert projected_senders(site.db, guarded) == ProjectedSenders(
        app.latest_version(guarded), ("ap@other.example", "supplier.example"))
    assert app.latest_version(guarded) == 4  # created, two changes, auto-send
    assert projected_senders(site.db, UUID(int=7)) is None


def test_a_rebuild_of_the_inbox_read_model_gives_the_rows_the_live_one_has(site):
    app, office = site.app, site.office
    clients = [office.new_client(name=f"Client {n}") for n in range(3)]
    for n, client_id in enumerate(clients):
        app.change_allowed_senders(office.firm_id, client_id, [f"n{n}.example"], office.admin)
    app.change_allowed_senders(office.firm_id, clients[0], [], office.admin)
    site.catch_up()

    def rows() -> list[tuple[Any, ...]]:
        with site.db.transaction() as tx:
            return tx.execute("SELECT * FROM inbox_addresses ORDER BY local_part")

    live = rows()
    rebuild(site.db, app, "inbox_addresses", batch_size=2)
    assert rows() == live
    assert [projected_senders(site.db, c).senders for c in clients] == [  # type: ignore[union-attr]
        (), ("n1.example",), ("n2.example",)]


def test_the_decision_reads_the_read_model_and_loads_no_client_while_it_is_current(site):
    office = site.office
    client_id = office.new_client()
    site.app.change_allowed_senders(office.firm_id, client_id, ["supplier.example"],
                                    office.admin)
    to = site.address(client_id)
    loads = site.app.client_loads
    for sender in ("ap@supplier.example", "spam@else.example", "ap@supplier.example"):
        site.catch_up()  # the projector keeps up (a quarantined mail is a client event)
        inbox = site.intake.inbox(to)
        assert inbox is not None
        site.intake.take_in(ArrivedMail(wire(mail(sender=sender, to=to)), [inbox], sender,
                                        "127.0.0.1", "mx.supplier.example"))
    assert site.app.client_loads == loads
    assert site.quarantined(client_id) == ["spam@else.example"]


def test_a_mail_sent_right_after_the_allowed_senders_change_is_decided_by_the_new_list(site):
    office = site.office
    client_id = office.new_client()
    site.catch_up()
    assert site.send(client_id, "ap@other.example").startswith("250 2.0.0 1 document")
    # The projector has not seen the change yet (as on Kafka with a lagging or stopped
    # projector): the intake must not decide on the list it read before.
    site.app.change_allowed_senders(office.firm_id, client_id, ["supplier.example"],
                                    office.admin)
    assert site.send(client_id, "ap@other.example").startswith("250 2.0.0 held")
    assert site.send(client_id, "ap@supplier.example").startswith("250 2.0.0 1 document")
    site.app.change_allowed_senders(office.firm_id, client_id, [], office.admin)
    assert site.send(client_id, "ap@other.example").startswith("250 2.0.0 1 document")
    assert site.quarantined(client_id) == ["ap@other.example"]


def test_a_read_model_row_from_before_it_kept_senders_is_not_trusted(site):
    office = site.office
    client_id = office.new_client()
    site.app.change_allowed_senders(office.firm_id, client_id, ["supplier.example"],
                                    office.admin)
    site.catch_up()
    with site.db.transaction() as tx:  # as the column's migration leaves an older row
        tx.execute("UPDATE inbox_addresses SET allowed_senders = NULL")
    assert site.send(client_id, "spam@else.example").startswith("250 2.0.0 held")
    assert site.quarantined(client_id) == ["spam@else.example"]
