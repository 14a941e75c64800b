"""How to sign in to the demo: ``serve --demo`` prints it.

Tokens are minted once, when the demo firm is seeded, for the demo admin and one
accountant (to see what an accountant sees); they expire after ``DEMO_TOKEN_LIFETIME``
and ``lucy-events staff tokens revoke --label 'demo sign-in'`` revokes them sooner.
Later starts mint nothing: they say whom to sign in as and how to get a new token.

The client's own side (the portal) is shown too: when the demo is seeded, the contact
person of its first Active client becomes that company's owner, and the line printed
is their single-use invitation link (choose a password, then they are signed in).
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.client import ClientStatus
from lucy_events.aggregates.client_user_rules import OWNER
from lucy_events.bootstrap import Services
from lucy_events.client_sessions import ClientLinks
from lucy_events.client_users import ClientUsers
from lucy_events.demo import FIRM_NAME, STAFF, DemoFirm

ADMIN = STAFF[0][1]  # sofie@dupont-partners.be
ACCOUNTANT = next(email for _, email, role in STAFF if role == "accountant")
LABEL = "demo sign-in"
DEMO_TOKEN_LIFETIME = timedelta(days=30)


def demo_signin_lines(services: Services, demo: DemoFirm | None = None,
                      url: str | None = None) -> list[str]:
    """The lines to print. ``demo`` is what ``seed_demo`` returned (seeded now: tokens
    are minted); without it (seeded by an earlier run) the demo firm is found by its
    name and no token is minted. No demo firm: []."""
    url = url or f"http://{services.settings.http_host}:{services.settings.http_port}"
    found = _demo_staff(services, demo)
    if found is None:
        return []
    firm_id, staff = found
    leads = ((ADMIN, f"Sign in at {url} as"),
             (ACCOUNTANT, "  or, to see what an accountant sees, as"))
    if demo is None:
        return [f"{lead} {email} with the token printed when the demo was seeded"
                for email, lead in leads if email in staff] + [
            f"  (a new one: lucy-events staff token --firm '{FIRM_NAME}' --email {ADMIN})",
            f"A client's own side: {url}/portal/signin (the demo client's contact printed "
            "when it was seeded asks for a sign-in link; it lands on the Outbox page)"]
    tokens = AccessTokens(services.read_db)
    days = DEMO_TOKEN_LIFETIME.days
    return [f"{lead} {email} with token "
            f"{tokens.issue(firm_id, staff[email], LABEL, DEMO_TOKEN_LIFETIME)}"
            for email, lead in leads if email in staff] + [
        f"  (these tokens work for {days} days; revoke them sooner with: lucy-events staff "
        f"tokens revoke --firm '{FIRM_NAME}' --email EMAIL --label '{LABEL}')",
        *_client_side_lines(services, demo, url)]


def _client_side_lines(services: Services, demo: DemoFirm, url: str) -> list[str]:
    """The first Active demo client's contact as its owner, with an invitation link."""
    for client_id in demo.clients:
        client = services.app.client(demo.firm_id, client_id)
        if client.status is not ClientStatus.ACTIVE:
            continue
        contact, users = client.contact_person, ClientUsers(services.read_db)
        user = users.by_email(client_id, contact["email"]) or users.invite(
            demo.firm_id, client_id, email=contact["email"], role=OWNER,
            first_name=contact.get("first_name", ""), last_name=contact.get("last_name", ""))
        token = ClientLinks(services.read_db).issue(user.user_id, "invitation")
        return [f"A client's own side ({client.name}): open {url}/portal/welcome/{token}",
                f"  to choose a password as {user.email} (the link works once, for 7 days)"]
    return []


def _demo_staff(services: Services, demo: DemoFirm | None
                ) -> tuple[UUID, dict[str, UUID]] | None:
    if demo is not None:
        return demo.firm_id, dict(demo.staff)
    for firm_id, name in services.app.find_firms():
        if name == FIRM_NAME:
            firm = services.app.firm(firm_id)
            return firm_id, {member.email: member.id for member in firm.staff.values()}
    return None
