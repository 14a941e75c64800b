"""Client portal set-up shared by the tests: an active client whose contact person set
up their user (as the activation page does), and a browser signed in as them through
the portal's own form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.application import LucyApplication
from lucy_events.client_users import ClientUser, ClientUsers
from lucy_events.sqldb import Database
from tests.support import CONTACT, Office

PASSWORD = "a long passphrase"
CSRF = "portal-csrf"


def active_client(app: LucyApplication, read_db: Database, office: Office, *,
                  email: str | None = None, **overrides: Any) -> tuple[UUID, ClientUser]:
    """A client that accepted its invitation, and its owner (the contact person)."""
    contact = {**CONTACT, "email": email or f"owner{office.clients}@{office.firm_id.hex[:8]}"
               ".example"}
    return activate(app, read_db, office, office.new_client(contact_person=contact,
                                                            **overrides))


def activate(app: LucyApplication, read_db: Database, office: Office, client_id: UUID
             ) -> tuple[UUID, ClientUser]:
    """The client invited and accepted; its contact person's user set up (owner)."""
    app.accept_invitation(app.invite_client(office.firm_id, client_id, office.admin))
    client = app.client_for_operator(client_id)
    contact = client.contact_person
    owner = ClientUsers(read_db).add_owner(
        office.firm_id, client_id, email=client.invitation_email or contact["email"],
        first_name=contact["first_name"], last_name=contact["last_name"], password=PASSWORD)
    return client_id, owner


def portal_sign_in(browser: Any, email: str, password: str = PASSWORD) -> Any:
    """Sign a Flask test client in through the portal's form; the answer."""
    with browser.session_transaction() as session:
        session["csrf_token"] = CSRF
    answer = browser.post("/portal/signin", data={"csrf_token": CSRF, "email": email,
                                                  "password": password})
    use_csrf(browser)
    return answer


def use_csrf(browser: Any) -> None:
    """Signing in draws a new CSRF secret, which a person's next form carries; the test
    sets it to a known one instead of reading it from the page."""
    with browser.session_transaction() as session:
        session["csrf_token"] = CSRF
