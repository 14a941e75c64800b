"""A realistic demo firm: staff in both roles, teams, ~30 clients in every status, and
documents in every status, some Failed with the reasons a real package gives.

Its history spans the last three months, as a firm's would: the firm and its staff
first, then a client every two days from ten weeks ago, invitations accepted a few days
later (some trials still running, some over), pending invitations sent in the last two
weeks (still valid), and documents arriving since each client's activation. Each
aggregate's events are stamped in order; the application's clock follows the same
timeline while seeding."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from stdnum.nl import btw

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import events_stamped_by
from lucy_events.aggregates.packages import EXACT_ONLINE
from lucy_events.application import IncomingDocument, LucyApplication
from lucy_events.samples.demo_documents import DemoDocuments, client_party

SETUP = Actor.system("demo")
ROUTER = Actor.system("router")

STAFF = [
    ("Sofie Janssens", "sofie@dupont-partners.be", "admin"),
    ("Marc Dubois", "marc@dupont-partners.be", "admin"),
    ("Lotte Peeters", "lotte@dupont-partners.be", "accountant"),
    ("Youssef El Amrani", "youssef@dupont-partners.be", "accountant"),
    ("Eline de Vries", "eline@dupont-partners.be", "accountant"),
    ("Pieter Maes", "pieter@dupont-partners.be", "accountant"),
]
TEAMS = ["Team Gent", "Team Brussel", "Team Utrecht"]
NAMES = [
    "Bakkerij Vermeulen", "Garage De Smet", "Brouwerij Het Anker", "Dakwerken Claes",
    "Apotheek Wouters", "Fietsen Goossens", "Studio Lumen", "Transport Willems",
    "Tandartspraktijk Jacobs", "Bloemen Mertens", "Café De Kroon", "Elektro Lambrecht",
    "Architectenbureau Hermans", "Schrijnwerkerij Dewulf", "Kapsalon Bella",
    "IT Solutions Verhaegen", "Boekhandel Standaert", "Loodgieter Van Damme",
    "Restaurant La Brasserie", "Drukkerij Peeters", "Slagerij Hendrickx",
    "Yoga Studio Shanti", "Bouwbedrijf Smits", "Wijnhandel Vandenberghe",
    "Advocatenkantoor Leclercq", "Zonnepanelen Noord", "Bakker Dijkstra BV",
    "Installatiebedrijf Visser BV", "Kaashandel De Boer BV", "Fotostudio Mulder BV",
]
LEGAL_FORMS = ["BV", "NV", "CommV", "VOF", "Eenmanszaak"]
FAILURES = {
    "email": [
        ("SMTP 550 5.1.1 <purchase@package.example>: mailbox unavailable", False),
        ("SMTP connection to the package's mail server timed out after 30 s", True),
    ],
    "api": [
        ("Exact Online: 401 Unauthorized, the refresh token was revoked", False),
        ("Exact Online: 429 Too Many Requests after 5 attempts", True),
    ],
}
REJECTIONS = ["Duplicate invoice number INV-2026-0042", "Supplier VAT number unknown"]
DOCUMENT_TYPES = ["purchase-invoice", "sales-invoice", "receipt"]
EMAIL_PACKAGES = ["clearfacts", "octopus", "winbooks", "yuki-email", "exact-online-email"]


FIRM_NAME = "Dupont & Partners Accountants"
#: Numbers the README's examples name (``history BE0326339276``), whatever the seed draws.
FIXED_NUMBERS = {"Brouwerij Het Anker": "0326339276"}


@dataclass
class DemoFirm:
    firm_id: UUID
    staff: dict[str, UUID] = field(default_factory=dict)
    clients: list[UUID] = field(default_factory=list)
    documents: int = 0
    maker: DemoDocuments = field(default_factory=DemoDocuments, repr=False)
    document_ids: list[UUID] = field(default_factory=list)
    #: True when the store had the demo firm already (nothing was seeded).
    existing: bool = False
    #: The sales invoices and credit note the demo issued.
    invoices: list[UUID] = field(default_factory=list)


def _be_number(rng: random.Random) -> str:
    base = rng.randrange(20_000_000, 99_999_999)
    return f"0{base:08d}"[:8] + f"{97 - int(f'0{base:08d}'[:8]) % 97:02d}"


def _nl_vat(rng: random.Random) -> str:
    while True:
        candidate = f"NL{rng.randrange(100_000_000, 999_999_999)}B01"
        if btw.is_valid(candidate):
            return candidate


class Timeline:
    """The demo's clock: set to a moment before each step; the events of one step (and
    the application's own reads of the time) follow it a millisecond apart."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._at = now

    def __call__(self) -> datetime:
        self._at += timedelta(milliseconds=1)
        return self._at

    def at(self, moment: datetime) -> Timeline:
        self._at = min(moment, self.now - timedelta(minutes=1))
        return self


@contextmanager
def _on(app: LucyApplication, timeline: Timeline) -> Iterator[None]:
    real: Callable[[], datetime] = app.clock
    app.clock = timeline
    try:
        with events_stamped_by(timeline):
            yield
    finally:
        app.clock = real


def seed_demo(app: LucyApplication, seed: int = 7) -> DemoFirm:
    """Seed the demo firm, once: when the store has it already, return it unchanged."""
    for firm_id, name in app.find_firms():
        if name == FIRM_NAME:
            firm = app.firm(firm_id)
            return DemoFirm(firm_id, {m.email: m.id for m in firm.staff.values()},
                            existing=True)
    timeline = Timeline(app.clock())
    with _on(app, timeline):
        return _seed(app, random.Random(seed), timeline)


def _seed(app: LucyApplication, rng: random.Random, timeline: Timeline) -> DemoFirm:
    timeline.at(timeline.now - timedelta(days=90))
    demo = DemoFirm(app.register_firm(FIRM_NAME, SETUP))
    for name, email, role in STAFF:
        demo.staff[email] = app.add_staff_member(demo.firm_id, name, email, role, SETUP)
    admin = app.actor_for(demo.firm_id, demo.staff[STAFF[0][1]])
    teams = [app.create_team(demo.firm_id, team, admin) for team in TEAMS]
    accountants = [demo.staff[e] for _, e, r in STAFF if r == "accountant"]
    for i, staff_id in enumerate(accountants):
        app.assign_staff_to_team(demo.firm_id, staff_id, teams[i % len(teams)], admin)
    app.configure_portal_integration(
        demo.firm_id, "exact-online-api", {"base_url": "https://start.exactonline.be"}, admin
    )
    app.configure_portal_integration(  # the Utrecht team's Dutch clients
        demo.firm_id, "exact-online-nl-api", {"base_url": "https://start.exactonline.nl"},
        admin)
    app.configure_portal_integration(
        demo.firm_id, "expert-m", {"host": "ftp.expertm.be", "credentials_ref": "expert-m"}, admin
    )
    for index, name in enumerate(NAMES):
        timeline.at(timeline.now - timedelta(days=70 - 2 * index, hours=rng.randrange(9)))
        demo.clients.append(
            _client(app, demo, rng, index, name, admin, teams, accountants, timeline))
    from lucy_events.invoicing.demo import seed_invoices

    timeline.at(timeline.now - timedelta(days=1))
    demo.invoices = seed_invoices(app, demo.firm_id, demo.clients, admin)
    return demo


def _client(app, demo, rng, index, name, admin, teams, accountants, timeline) -> UUID:  # type: ignore[no-untyped-def]
    dutch = name.endswith(" BV") and index >= 26
    numbers = (
        {"country": "NL", "enterprise_number": f"{rng.randrange(10**7, 10**8)}",
         "vat_number": _nl_vat(rng)}
        if dutch else {"country": "BE", "enterprise_number": _be_number(rng)}
    )
    if name in FIXED_NUMBERS:
        numbers["enterprise_number"] = FIXED_NUMBERS[name]
    first, last = rng.choice(["Anna", "Bram", "Chloe", "Dries", "Emma", "Fien"]), name.split()[-1]
    address = {"street": f"Kerkstraat {index + 1}", "postal_code": "3511" if dutch else "9000",
               "city": "Utrecht" if dutch else "Gent", "country": numbers["country"]}
    email = f"{first.lower()}@{last.lower()}.example"
    client_id = app.create_client(
        demo.firm_id, admin, name=name, legal_form=rng.choice(LEGAL_FORMS), address=address,
        contact_person={"first_name": first, "last_name": last, "email": email,
                        "phone": "+32 9 123 45 67"},
        team_id=teams[index % len(teams)], firm_contact_id=accountants[index % len(accountants)],
        **numbers,
    )
    demo_status = index % 5  # 0: created, 1: invited, 2-4: active
    if demo_status == 0:
        return client_id
    created = timeline()
    if demo_status == 1:  # invited lately: the invitation (21 days) is still valid
        invited = timeline.now - timedelta(days=rng.randrange(3, 15), hours=rng.randrange(9))
        timeline.at(invited)
        app.invite_client(demo.firm_id, client_id, admin)
        if index % 2:
            timeline.at(invited + timedelta(days=2))
            app.resend_invitation(demo.firm_id, client_id, admin)
        return client_id
    timeline.at(created + timedelta(days=1))
    token = app.invite_client(demo.firm_id, client_id, admin)
    activated = created + timedelta(days=rng.randrange(2, 6), hours=rng.randrange(9))
    timeline.at(activated)
    app.accept_invitation(token)
    if index % 3 == 0:
        app.enable_peppol(demo.firm_id, client_id, send=True, receive=index % 2 == 0, by=admin)
    if index % 7 == 0:
        app.change_visibility(demo.firm_id, client_id, True, admin)
    exact = "exact-online-nl-api" if dutch else "exact-online-api"
    package = exact if index % 4 == 0 else rng.choice(EMAIL_PACKAGES)
    settings = {} if package == exact else {
        "purchase_address": f"purchase+{index}@{package}.example"}
    app.link_integration(demo.firm_id, client_id, package, admin, settings, ubl=index % 2 == 0)
    # This firm reviews documents before they go out, so the demo's Inbox stays as seeded.
    app.change_auto_send(demo.firm_id, client_id, False, admin)
    app.change_allowed_senders(demo.firm_id, client_id, [f"{last.lower()}.example"], admin)
    party = client_party(name, numbers["country"], numbers["enterprise_number"],
                         numbers.get("vat_number"), address, email)
    _documents(app, demo, rng, client_id, package, admin, timeline, activated, party)
    return client_id


def _documents(app, demo, rng, client_id, package, admin, timeline, activated, party) -> None:  # type: ignore[no-untyped-def]
    first, last = activated + timedelta(days=1), timeline.now - timedelta(days=3)
    arrivals = sorted(first + (last - first) * rng.random() for _ in range(rng.randrange(3, 8)))
    for n, received in enumerate(arrivals):
        timeline.at(received)
        typed = rng.random() > 0.2
        channel = rng.choice(["email", "upload", "peppol"])  # the draws stay in this order
        made = demo.maker.document(party, n, received.date(), channel,
                                   rng.choice(DOCUMENT_TYPES) if typed else None)
        document_id = app.receive_document(IncomingDocument(
            demo.firm_id, client_id, made.content, made.file_name, made.media_type,
            made.channel, sender="facturen@supplier.example", document_type=made.document_type,
        ), Actor.system("intake"))
        demo.documents += 1
        demo.document_ids.append(document_id)
        outcome = rng.random()
        if not typed or outcome < 0.3:
            continue  # stays in the Inbox
        timeline.at(received + timedelta(hours=rng.randrange(1, 30)))  # reviewed, sent
        # The request and its outcome are saved together: a router running meanwhile
        # finds the document no longer waiting, so the seeded history is never delivered.
        document = app.document(demo.firm_id, document_id, admin)
        document.request_send(admin)
        timeline.at(timeline() + timedelta(seconds=rng.randrange(2, 90)))
        if outcome < 0.75:
            document.record_sent(package, f"{package}-{document_id.hex[:12]}", ROUTER)
        elif outcome < 0.92:
            kind = "api" if package in EXACT_ONLINE else "email"
            reason, retryable = rng.choice(FAILURES[kind])
            document.record_send_failure(reason, retryable, ROUTER)
        else:
            document.record_rejection(rng.choice(REJECTIONS), ROUTER)
        app.save(document)
        if outcome < 0.4:
            timeline.at(timeline() + timedelta(days=rng.randrange(1, 3)))
            app.archive_document(demo.firm_id, document_id, admin)
