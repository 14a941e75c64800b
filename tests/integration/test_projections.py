"""The dashboard and documents read models, fed by the real application's events.

Every test runs twice: on SQLite (one file holds the event store and the read side, as
in the embedded default) and on PostgreSQL (a fresh schema holds both).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.bus.catalogue import CLIENT_TOPIC, DOCUMENT_TOPIC, FIRM_TOPIC
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Delivery, Position
from lucy_events.config import persistence_env
from lucy_events.projections import (
    DashboardProjection,
    DocumentsProjection,
    Rebuild,
    Tab,
    TabNotAllowed,
    add_favourite,
    failed_deliveries,
    get_client_row,
    get_document_row,
    list_clients,
    list_documents,
    rebuild,
    remove_favourite,
    tab_counts,
)
from lucy_events.projections.ddl import index_names
from lucy_events.sqldb import Database
from tests.support import PDF, Office, open_office

ROUTER = Actor.system("router")
MAIL = {"purchase_address": "inbox@clearfacts.example"}


def be_number(seed: int) -> str:
    """A valid Belgian enterprise number, written with dots as people type them."""
    digits = f"{4_000_000 + seed * 1013:08d}"
    digits += f"{97 - int(digits) % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


class ReadSide:
    """The two projections, each fed from the notification log by its own runtime."""

    def __init__(self, app: LucyApplication, db: Database) -> None:
        self.app, self.db = app, db
        self.dashboard, self.documents = DashboardProjection(db), DocumentsProjection(db)
        self.runtimes = [self._runtime(p) for p in (self.dashboard, self.documents)]

    def _runtime(self, projection: Any) -> ConsumerRuntime:
        source = LogSource(self.app, self.db, projection.name, projection.topics,
                           wakeup=threading.Event())
        return ConsumerRuntime(source, projection, StoreDeadLetters(self.db), poll_timeout=0)

    def catch_up(self) -> None:
        for runtime in self.runtimes:
            while runtime.step():
                pass

    def dump(self, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
        with self.db.transaction() as tx:
            return {t: tx.execute(f"SELECT * FROM {t} ORDER BY 1") for t in tables}


@dataclass
class World:
    app: LucyApplication
    db: Database
    office: Office
    read: ReadSide

    @property
    def firm_id(self) -> UUID:
        return self.office.firm_id

    @property
    def admin_id(self) -> UUID:
        return UUID(self.office.admin.id)

    @property
    def accountant_id(self) -> UUID:
        return UUID(self.office.accountant.id)

    def clients(self, viewer: str = "admin", **query: Any) -> list[str]:
        return [r.name for r in self.page(viewer, **query).rows]

    def page(self, viewer: str = "admin", **query: Any) -> Any:
        self.read.catch_up()
        staff = self.admin_id if viewer == "admin" else self.accountant_id
        return list_clients(self.db, firm_id=self.firm_id, viewer_staff_id=staff,
                            viewer_role=viewer, **query)

    def row(self, client_id: UUID, viewer: str = "admin") -> Any:
        self.read.catch_up()
        staff = self.admin_id if viewer == "admin" else self.accountant_id
        return get_client_row(self.db, firm_id=self.firm_id, client_id=client_id,
                              viewer_staff_id=staff, viewer_role=viewer)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/lucy.sqlite"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def world(database_url: str, clock: Any) -> Iterator[World]:
    app = LucyApplication(persistence_env(database_url), blobs=InMemoryBlobStore(), clock=clock)
    db = Database.from_url(database_url)
    yield World(app, db, open_office(app), ReadSide(app, db))
    db.close()
    app.close()


@pytest.fixture
def portfolio(world: World) -> dict[str, UUID]:
    """Six clients in every state the list tells apart."""
    app, firm, admin = world.app, world.firm_id, world.office.admin
    gent = app.create_team(firm, "Team Gent", admin)
    brussel = app.create_team(firm, "Team Brussel", admin)
    app.assign_staff_to_team(firm, world.accountant_id, gent, admin)
    new = world.office.new_client
    ids = {
        "claes": new(name="Bakkerij Claes", firm_contact_id=world.accountant_id),
        "dupont": new(name="Garage Dupont", enterprise_number=be_number(1), team_id=gent),
        "emile": new(name="Émile Fleuriste", enterprise_number=be_number(2)),
        "hidden": new(name="Holding Verborgen", enterprise_number=be_number(3), team_id=gent),
        "boer": new(name="Kaashandel De Boer", country="NL", enterprise_number="12345678",
                    vat_number="NL004495445B01", team_id=brussel),
        "anker": new(name="Brouwerij Het Anker", enterprise_number=be_number(4)),
    }
    app.accept_invitation(app.invite_client(firm, ids["claes"], admin))
    app.invite_client(firm, ids["dupont"], admin)
    app.accept_invitation(app.invite_client(firm, ids["anker"], admin))
    app.change_visibility(firm, ids["hidden"], True, admin)
    app.enable_peppol(firm, ids["claes"], True, True, admin)
    app.enable_peppol(firm, ids["anker"], False, True, admin)
    app.link_integration(firm, ids["claes"], "clearfacts", admin, settings=MAIL)
    app.link_integration(firm, ids["boer"], "none", admin)
    world.office.receive(ids["anker"])
    return ids


def test_the_client_row_shows_every_dashboard_column(world, clock):
    app, firm, admin = world.app, world.firm_id, world.office.admin
    team = app.create_team(firm, "Team Gent", admin)
    client_id = world.office.new_client(team_id=team, firm_contact_id=world.accountant_id)
    token = app.invite_client(firm, client_id, admin)
    invited = world.row(client_id)
    assert (invited.status, invited.invitation_expires_at) == (
        "Invited", clock.now + timedelta(days=21))
    app.accept_invitation(token)
    app.enable_peppol(firm, client_id, True, False, admin)
    app.link_integration(firm, client_id, "clearfacts", admin, settings=MAIL)
    app.change_auto_send(firm, client_id, False, admin)
    app.change_plan(firm, client_id, "Business", admin)
    world.office.receive(client_id)
    row = world.row(client_id)
    assert (row.client_id, row.firm_id, row.name, row.country) == (
        client_id, firm, "Bakkerij Claes", "BE")
    assert (row.enterprise_number, row.vat_number) == ("0403170701", "BE0403170701")
    assert (row.contact_name, row.contact_email) == ("Anna Claes", "anna@bakkerij.example")
    assert (row.firm_contact_id, row.firm_contact_name) == (
        world.accountant_id, "Lotte Accountant")
    assert (row.team_id, row.team_name) == (team, "Team Gent")
    assert (row.status, row.invitation_expires_at, row.plan) == ("Active", None, "Business")
    assert row.trial_ends_on == (clock.now + timedelta(days=30)).date()
    assert (row.integration_package, row.integration_kind, row.integration_name) == (
        "clearfacts", "email", "Clearfacts")
    assert (row.peppol_send, row.peppol_receive, row.auto_send, row.hidden) == (
        True, False, False, False)
    assert (row.inbox_count, row.failed_count, row.favourite) == (1, 0, False)
    assert row.created_at <= row.updated_at <= row.last_document_at


def test_names_of_staff_and_teams_added_later_fill_in_on_the_client_rows(world):
    """On Kafka, firm, client and document events travel on separate topics, so a
    client may arrive before the staff member it names, and documents before it."""
    app, firm, admin = world.app, world.firm_id, world.office.admin
    client_id = world.office.new_client()
    world.office.receive(client_id)
    staff_id = app.add_staff_member(firm, "Marc Later", "marc@later.example", "admin", admin)
    team_id = app.create_team(firm, "Team Later", admin)
    app.change_firm_contact(firm, client_id, staff_id, admin)
    app.assign_team(firm, client_id, team_id, admin)
    world.office.receive(client_id)
    source = LogSource(app, world.db, "probe", DashboardProjection.topics,
                       wakeup=threading.Event())
    events = [d.event for d in source.poll(1000, 0).deliveries]
    offsets: dict[str, int] = {}

    def on_its_topic(event: Any) -> Delivery:  # like Kafka: one offset sequence per topic
        offsets[event.topic] = offsets.get(event.topic, -1) + 1
        return Delivery(event, Position(event.topic, 0, offsets[event.topic]))

    arrival = [DOCUMENT_TOPIC, CLIENT_TOPIC, FIRM_TOPIC]  # the worst order there is
    for event in sorted(events, key=lambda e: arrival.index(e.topic)):
        world.read.dashboard.handle([on_its_topic(event)])
    row = get_client_row(world.db, firm_id=firm, client_id=client_id)
    assert (row.firm_contact_name, row.team_name, row.inbox_count) == (
        "Marc Later", "Team Later", 2)


def test_inbox_failed_and_rejected_counts_follow_the_documents(world):
    app, firm, admin = world.app, world.firm_id, world.office.admin
    client_id = world.office.new_client()
    first, second, third, fourth = (world.office.receive(client_id) for _ in range(4))

    def counts() -> tuple[int, int, int, int]:
        row = world.row(client_id)
        return row.inbox_count, row.sending_count, row.failed_count, row.rejected_count

    assert counts() == (4, 0, 0, 0)
    app.request_bulk_send(firm, [first, second, third], admin)
    assert counts() == (1, 3, 0, 0)
    app.record_sent(first, "clearfacts", "cf-1", ROUTER)
    app.record_send_failure(second, "SMTP timeout", True, ROUTER)
    app.record_rejection(third, "Duplicate invoice", ROUTER)
    assert counts() == (1, 0, 1, 1)
    app.archive_document(firm, first, admin)
    app.request_send(firm, second, admin)
    assert counts() == (1, 1, 0, 1)
    app.record_sent(second, "clearfacts", "cf-2", ROUTER)
    app.delete_document(firm, third, admin)
    app.delete_document(firm, fourth, admin)
    assert counts() == (0, 0, 0, 0)
    assert world.page(has_inbox=True).total == 0


def test_a_batch_delivered_twice_has_no_second_effect(world):
    client_id = world.office.new_client()
    world.office.receive(client_id)
    source = LogSource(world.app, world.db, "probe", DashboardProjection.topics,
                       wakeup=threading.Event())
    deliveries = source.poll(1000, 0).deliveries
    for projection in (world.read.dashboard, world.read.documents):
        projection.handle(deliveries)
        projection.handle(deliveries)  # redelivered after a crash: positions say done
        with world.db.transaction() as tx:  # applied again regardless: versions say done
            projection.apply(tx, [d.event for d in deliveries])
    row = get_client_row(world.db, firm_id=world.firm_id, client_id=client_id)
    assert row.inbox_count == 1
    assert list_documents(world.db, firm_id=world.firm_id, client_id=client_id).total == 1


def test_the_viewers_favourites_come_first_and_only_for_them(world, portfolio):
    add_favourite(world.db, world.admin_id, portfolio["emile"])
    add_favourite(world.db, world.admin_id, portfolio["anker"])
    add_favourite(world.db, world.admin_id, portfolio["anker"])  # again: harmless
    names = world.clients()
    assert names[:2] == ["Brouwerij Het Anker", "Émile Fleuriste"]
    assert world.page().rows[0].favourite
    remove_favourite(world.db, world.admin_id, portfolio["anker"])
    assert world.clients()[0] == "Émile Fleuriste"
    assert world.clients("accountant", tab="onboarding") == [
        "Émile Fleuriste", "Garage Dupont", "Kaashandel De Boer"]
    assert not any(r.favourite for r in world.page("accountant", tab="mine").rows)


def test_hidden_clients_are_invisible_to_accountants_but_not_to_admins(world, portfolio):
    assert "Holding Verborgen" in world.clients(tab="all")
    assert world.row(portfolio["hidden"]).hidden
    for tab in ("onboarding", "mine"):
        assert "Holding Verborgen" not in world.clients("accountant", tab=tab)
    assert world.row(portfolio["hidden"], viewer="accountant") is None
    assert world.page("accountant", tab="onboarding", q="verborgen").total == 0


def test_admins_have_four_tabs_and_accountants_two(world, portfolio):
    assert world.clients(tab="invitations") == ["Garage Dupont"]
    assert world.clients(tab="onboarding") == [
        "Émile Fleuriste", "Garage Dupont", "Holding Verborgen", "Kaashandel De Boer"]
    assert len(world.clients(tab="all")) == 6
    assert world.page().total == 6  # the admin's default tab is All
    for tab in ("all", "invitations"):
        with pytest.raises(TabNotAllowed):
            world.page("accountant", tab=tab)
    assert world.page("accountant").total == len(world.clients("accountant", tab="mine"))
    admin_counts = tab_counts(world.db, firm_id=world.firm_id, viewer_staff_id=world.admin_id,
                              viewer_role="admin")
    assert admin_counts == {Tab.INVITATIONS: 1, Tab.ONBOARDING: 4, Tab.MY_CLIENTS: 0,
                            Tab.ALL: 6}
    accountant_counts = tab_counts(world.db, firm_id=world.firm_id,
                                   viewer_staff_id=world.accountant_id,
                                   viewer_role="accountant")
    assert accountant_counts == {Tab.ONBOARDING: 3, Tab.MY_CLIENTS: 1}


def test_my_clients_are_those_i_am_firm_contact_of_or_on_a_service_of(world, portfolio):
    """The issue's rule (firm-admin, item 4): firm contact or a participant (the owner
    too) of one of the client's services. Being in the client's team does not count:
    Garage Dupont and the accountant share Team Gent, and it is not theirs."""
    app, firm, admin = world.app, world.firm_id, world.office.admin
    assert world.clients("accountant", tab="mine") == ["Bakkerij Claes"]
    bookkeeping = app.define_service(firm, "Bookkeeping", admin)
    app.assign_service(firm, portfolio["emile"], bookkeeping, world.admin_id,
                       [world.accountant_id], admin)
    assert world.clients("accountant", tab="mine") == ["Bakkerij Claes", "Émile Fleuriste"]
    assert world.clients("admin", tab="mine") == ["Émile Fleuriste"]  # its owner
    app.end_service(firm, portfolio["emile"], bookkeeping, admin)
    assert world.clients("accountant", tab="mine") == ["Bakkerij Claes"]
    assert world.clients("admin", tab="mine") == []


@pytest.mark.parametrize("typed", [
    "BE0403170701", "be 0403.170.701", "0403.170.701", "0403170701", "403 170 701",
])
def test_a_client_is_found_by_its_vat_or_enterprise_number_however_typed(world, portfolio,
                                                                         typed):
    assert world.clients(q=typed) == ["Bakkerij Claes"]


def test_a_client_is_found_by_part_of_its_name_in_any_case_and_accents(world, portfolio):
    assert world.clients(q="GARAGE") == ["Garage Dupont"]
    assert world.clients(q="emile") == ["Émile Fleuriste"]
    assert world.clients(q="ÉMILE fleur") == ["Émile Fleuriste"]
    assert world.clients(q="NL004495445B01") == ["Kaashandel De Boer"]
    assert world.clients(q="12345678") == ["Kaashandel De Boer"]
    assert world.clients(q="100%") == []
    assert world.clients(q="   ") == world.clients()


def test_filters_narrow_the_list(world, portfolio):
    gent = world.row(portfolio["dupont"]).team_id
    assert world.clients(status="Active") == ["Bakkerij Claes", "Brouwerij Het Anker"]
    assert world.clients(team=gent) == ["Garage Dupont", "Holding Verborgen"]
    assert len(world.clients(team="none")) == 3
    assert world.clients(peppol="send") == ["Bakkerij Claes"]
    assert world.clients(peppol="receive") == ["Bakkerij Claes", "Brouwerij Het Anker"]
    assert world.clients(peppol="any") == ["Bakkerij Claes", "Brouwerij Het Anker"]
    assert len(world.clients(peppol="none")) == 4
    assert world.clients(integration="clearfacts") == ["Bakkerij Claes"]
    assert len(world.clients(integration="none")) == 5  # explicitly none, or not chosen
    assert world.clients(has_inbox=True) == ["Brouwerij Het Anker"]
    assert len(world.clients(has_inbox=False)) == 5
    assert world.clients(status="Active", peppol="send", q="claes") == ["Bakkerij Claes"]
    boer = world.row(portfolio["boer"])
    assert (boer.integration_package, boer.integration_kind) == ("none", "none")


def test_the_list_sorts_and_pages(world, portfolio):
    everyone = world.clients()
    assert everyone == sorted(everyone, key=lambda n: n.replace("É", "E").lower())
    assert world.clients(sort="-name") == list(reversed(everyone))
    assert world.clients(sort="status")[-2:] == ["Bakkerij Claes", "Brouwerij Het Anker"]
    assert world.clients(sort="trial_end")[:2] == ["Bakkerij Claes", "Brouwerij Het Anker"]
    first, second = world.page(page_size=4), world.page(page_size=4, page=2)
    assert (first.total, second.total, first.pages) == (6, 6, 2)
    assert [r.name for r in first.rows + second.rows] == everyone
    assert world.page(page=3, page_size=4).rows == []


def test_pages_run_on_from_the_favourites_into_the_other_clients(world, portfolio):
    for key in ("emile", "boer", "claes"):
        add_favourite(world.db, world.admin_id, portfolio[key])
    everyone = world.clients(page_size=50)
    assert everyone[:3] == ["Bakkerij Claes", "Émile Fleuriste", "Kaashandel De Boer"]
    for size in (1, 2, 4):
        pages = [world.page(page=n, page_size=size) for n in range(1, 7 // size + 2)]
        assert [r.name for p in pages for r in p.rows] == everyone
        assert {p.total for p in pages} == {6}


def test_a_clients_documents_list_shows_their_delivery_state(world):
    app, firm, admin = world.app, world.firm_id, world.office.admin
    client_id = world.office.new_client()
    sent, failed, deleted, untyped = (world.office.receive(client_id) for _ in range(4))
    app.assign_document_type(firm, untyped, "receipt", admin)
    app.request_bulk_send(firm, [sent, failed], admin)
    app.record_sent(sent, "clearfacts", "cf-77", ROUTER)
    app.record_send_failure(failed, "SMTP 550 mailbox unavailable", False, ROUTER)
    app.delete_document(firm, deleted, admin)
    world.read.catch_up()
    page = list_documents(world.db, firm_id=firm, client_id=client_id)
    assert page.total == 3
    rows = {r.document_id: r for r in page.rows}
    assert deleted not in rows
    assert (rows[sent].status, rows[sent].package, rows[sent].remote_reference) == (
        "Sent", "clearfacts", "cf-77")
    assert rows[sent].sent_at is not None and rows[sent].attempts == 1
    assert (rows[failed].status, rows[failed].failure_reason, rows[failed].retryable) == (
        "Failed", "SMTP 550 mailbox unavailable", False)
    untyped_row = rows[untyped]
    assert (untyped_row.document_type, untyped_row.file_name, untyped_row.media_type) == (
        "receipt", "invoice.pdf", "application/pdf")
    assert (untyped_row.channel, untyped_row.size, untyped_row.status) == (
        "upload", len(PDF), "Inbox")
    only_failed = list_documents(world.db, firm_id=firm, client_id=client_id, status="Failed")
    assert [r.document_id for r in only_failed.rows] == [failed]
    assert get_document_row(world.db, firm_id=firm, document_id=deleted) is None
    assert get_document_row(world.db, firm_id=firm, document_id=sent).status == "Sent"


def test_failed_deliveries_list_what_ops_may_retry(world, portfolio):
    app, firm, admin = world.app, world.firm_id, world.office.admin
    claes_doc = world.office.receive(portfolio["claes"])
    anker_doc = world.office.receive(portfolio["anker"])
    app.request_bulk_send(firm, [claes_doc, anker_doc], admin)
    app.record_send_failure(claes_doc, "SMTP timeout", True, ROUTER)
    app.record_send_failure(anker_doc, "401 Unauthorized", False, ROUTER)
    world.read.catch_up()
    everything = failed_deliveries(world.db)
    assert {f.document.document_id for f in everything} == {claes_doc, anker_doc}
    by_package = failed_deliveries(world.db, package="clearfacts")
    assert [(f.client_name, f.integration_package, f.document.failure_reason)
            for f in by_package] == [("Bakkerij Claes", "clearfacts", "SMTP timeout")]
    assert [f.document.document_id
            for f in failed_deliveries(world.db, retryable=False)] == [anker_doc]
    assert failed_deliveries(world.db, client_id=portfolio["anker"])[0].document.attempts == 1
    later = everything[0].document.status_at + timedelta(seconds=1)
    assert failed_deliveries(world.db, firm_id=firm, since=later) == []
    assert world.row(portfolio["claes"]).failed_count == 1


LIVE_TABLES = [t.name for t in (*DashboardProjection.tables, *DocumentsProjection.tables)]


def _names(world: World) -> list[str]:
    """The admin's list straight from the tables, without feeding the projections."""
    return [r.name for r in list_clients(world.db, firm_id=world.firm_id,
                                         viewer_staff_id=world.admin_id,
                                         viewer_role="admin").rows]


def _documents_activity(world: World, client_id: UUID) -> None:
    app, firm, admin = world.app, world.firm_id, world.office.admin
    sent, failed = world.office.receive(client_id), world.office.receive(client_id)
    app.request_bulk_send(firm, [sent, failed], admin)
    app.record_sent(sent, "clearfacts", "cf-1", ROUTER)
    app.record_send_failure(failed, "SMTP timeout", True, ROUTER)
    app.archive_document(firm, sent, admin)


def test_a_rebuild_produces_rows_identical_to_the_live_ones(world, portfolio):
    _documents_activity(world, portfolio["claes"])
    add_favourite(world.db, world.admin_id, portfolio["boer"])
    world.read.catch_up()
    live = world.read.dump(*LIVE_TABLES)
    progress: list[tuple[int, int]] = []
    head = world.app.recorder.max_notification_id()
    result = rebuild(world.db, world.app, "dashboard",
                     progress=lambda done, of: progress.append((done, of)), batch_size=10)
    rebuild(world.db, world.app, "documents")
    assert world.read.dump(*LIVE_TABLES) == live
    assert result.events > 10 and progress[-1] == (head, head)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert all(done <= of == head for done, of in progress)
    assert len({done for done, _ in progress}) >= 3  # batch by batch, not only the end
    assert world.clients()[0] == "Kaashandel De Boer"  # favourites outlive a rebuild
    rebuild(world.db, world.app, "dashboard")  # again: the renamed indexes do not collide
    assert world.read.dump(*LIVE_TABLES) == live
    with world.db.transaction() as tx:
        indexes = index_names(tx, world.db.dialect)
    for table in (*DashboardProjection.tables, *DocumentsProjection.tables):
        on_table = {name.removesuffix("_b") for name, owner in indexes.items()
                    if owner == table.name}
        plain = {f"ix_{table.name}_{i.purpose}" for i in table.indexes if not i.trigram}
        assert plain <= on_table
    assert not any(owner.endswith("_next") for owner in indexes.values())


def test_a_rebuild_holding_few_rows_at_a_time_writes_the_same_rows(world, portfolio):
    """Rows written by one span and changed again in a later one (read back and upserted),
    names of staff and teams that arrive after their clients were written, documents
    counted across spans: all as the live projection has them."""
    _documents_activity(world, portfolio["claes"])
    _documents_activity(world, portfolio["anker"])
    gent = world.app.create_team(world.firm_id, "Team Oost", world.office.admin)
    world.app.assign_team(world.firm_id, portfolio["emile"], gent, world.office.admin)
    world.app.rename_team(world.firm_id, gent, "Team Oost-Vlaanderen", world.office.admin)
    world.read.catch_up()
    live = world.read.dump(*LIVE_TABLES)
    for name in ("dashboard", "documents"):
        result = rebuild(world.db, world.app, name, batch_size=4, span_rows=3)
        assert result.events > 10
    assert world.read.dump(*LIVE_TABLES) == live
    assert world.row(portfolio["emile"]).team_name == "Team Oost-Vlaanderen"


def test_readers_use_the_old_tables_until_the_swap_and_nothing_is_lost_or_doubled(
        world, portfolio):
    world.read.catch_up()
    late = world.office.new_client(name="Aaa Late Arrival", enterprise_number=be_number(9))
    world.office.receive(late)
    run = Rebuild(world.db, world.app, "dashboard", batch_size=7)
    run.start()
    run.catch_up()
    assert "Aaa Late Arrival" not in _names(world)  # the live tables still answer
    _documents_activity(world, late)  # more events: the live projection sees them first
    world.read.catch_up()
    assert world.row(late).failed_count == 1
    run.swap()  # applies what it had not seen yet, then swaps
    row = get_client_row(world.db, firm_id=world.firm_id, client_id=late)
    assert (row.inbox_count, row.failed_count, row.last_document_at is not None) == (
        1, 1, True)
    world.office.receive(late)
    world.read.catch_up()  # the live projection goes on in the swapped-in tables
    assert world.row(late).inbox_count == 2
    assert _names(world)[0] == "Aaa Late Arrival"
    live = world.read.dump(*LIVE_TABLES)
    rebuild(world.db, world.app, "dashboard")
    assert world.read.dump(*LIVE_TABLES) == live
