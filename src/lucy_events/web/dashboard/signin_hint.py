"""How to sign in to the demo: ``serve --demo`` prints it, with a fresh personal access
token for the demo admin (and one accountant, to see what an accountant sees).

Tokens are shown once and only their hashes are kept, so every start issues new ones;
the older ones keep working until revoked.
"""

from __future__ import annotations

from uuid import UUID

from lucy_events.access_tokens import AccessTokens
from lucy_events.bootstrap import Services
from lucy_events.demo import FIRM_NAME, STAFF, DemoFirm

ADMIN = STAFF[0][1]  # sofie@dupont-partners.be
ACCOUNTANT = next(email for _, email, role in STAFF if role == "accountant")
LABEL = "demo sign-in"


def demo_signin_lines(services: Services, demo: DemoFirm | None = None,
                      url: str | None = None) -> list[str]:
    """The lines to print. ``demo`` is what ``seed_demo`` returned; without it (the store
    was seeded by an earlier run) the demo firm is found by its name. No demo firm: []."""
    url = url or f"http://{services.settings.http_host}:{services.settings.http_port}"
    found = _demo_staff(services, demo)
    if found is None:
        return []
    firm_id, staff = found
    tokens = AccessTokens(services.read_db)
    leads = ((ADMIN, f"Sign in at {url} as"),
             (ACCOUNTANT, "  or, to see what an accountant sees, as"))
    return [f"{lead} {email} with token {tokens.issue(firm_id, staff[email], LABEL)}"
            for email, lead in leads if email in staff]


def _demo_staff(services: Services, demo: DemoFirm | None
                ) -> tuple[UUID, dict[str, UUID]] | None:
    if demo is not None:
        return demo.firm_id, dict(demo.staff)
    for firm_id, name in services.app.find_firms():
        if name == FIRM_NAME:
            firm = services.app.firm(firm_id)
            return firm_id, {member.email: member.id for member in firm.staff.values()}
    return None
