"""Builders that keep the tests about behaviour rather than set-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application import IncomingDocument, LucyApplication

PDF = b"%PDF-1.4\n% a test invoice\n%%EOF\n"
ADDRESS = {"street": "Veldstraat 1", "postal_code": "9000", "city": "Gent", "country": "BE"}
CONTACT = {"first_name": "Anna", "last_name": "Claes", "email": "anna@bakkerij.example"}


def client_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Bakkerij Claes", "country": "BE", "enterprise_number": "0403.170.701",
        "legal_form": "BV", "address": ADDRESS, "contact_person": CONTACT,
    }
    fields.update(overrides)
    return fields


def belgian_number(seed: int) -> str:
    """A valid Belgian enterprise number of its own per seed (check digits mod 97)."""
    digits = f"0{5_000_000 + seed * 7907:07d}"
    return digits + f"{97 - int(digits) % 97:02d}"


@dataclass
class Office:
    """A firm with one admin and one accountant, as most tests need."""

    app: LucyApplication
    firm_id: UUID
    admin: Actor
    accountant: Actor
    clients: int = 0

    def new_client(self, **overrides: Any) -> UUID:
        """A client; after the first, each of another company (a firm has one client
        per enterprise number) unless the test names the numbers."""
        if self.clients and not {"enterprise_number", "vat_number"} & set(overrides):
            overrides["enterprise_number"] = belgian_number(self.clients)
        self.clients += 1
        return self.app.create_client(self.firm_id, self.admin, **client_fields(**overrides))

    def receive(self, client_id: UUID, document_type: str | None = "purchase-invoice",
                content: bytes = PDF) -> UUID:
        return self.app.receive_document(
            IncomingDocument(self.firm_id, client_id, content, "invoice.pdf",
                             "application/pdf", "upload", document_type=document_type),
            self.admin,
        )


def open_office(app: LucyApplication, name: str = "Dupont & Partners") -> Office:
    setup = Actor.system("test")
    firm_id = app.register_firm(name, setup)
    admin_id = app.add_staff_member(firm_id, "Sofie Admin", f"sofie@{firm_id.hex[:6]}.example",
                                    "admin", setup)
    accountant_id = app.add_staff_member(firm_id, "Lotte Accountant",
                                         f"lotte@{firm_id.hex[:6]}.example", "accountant", setup)
    return Office(app, firm_id, app.actor_for(firm_id, admin_id),
                  app.actor_for(firm_id, accountant_id))


def start_session(session: Any, read_db: Any, firm_id: UUID | str, staff_id: UUID | str,
                  role: str = "admin", csrf: str = "t") -> None:
    """Sign a Flask test client's session in as signing in does: a session started in
    the store (its id in the cookie), the firm, the staff member and the CSRF token."""
    from lucy_events.staff_sessions import StaffSessions

    session_id = StaffSessions(read_db).start(UUID(str(firm_id)), UUID(str(staff_id)), role)
    session.update(sid=session_id, firm_id=str(firm_id), staff_id=str(staff_id),
                   csrf_token=csrf)


def process_running(pid: int) -> bool:
    """Neither gone nor a zombie waiting for a parent to reap it (from /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False
