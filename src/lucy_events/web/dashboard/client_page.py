"""What the client's tabs share: the client as the viewer may see it, its header and tab
bar, and trying a command from one of its forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Response, render_template

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.companies import CompanyNumbers
from lucy_events.aggregates.errors import DomainError
from lucy_events.projections import ClientRow, get_client_row
from lucy_events.web.dashboard.forms import FormErrors, form_errors, status_for
from lucy_events.web.dashboard.pages import done, firm_directory, role, services, viewer

TABS = (
    ("overview", "Overview", "dashboard.overview"),
    ("documents", "Accounting documents", "dashboard.documents"),
    ("integrations", "Integrations", "dashboard.integrations"),
    ("senders", "Allowed senders", "dashboard.senders"),
    ("vault", "Vault", "dashboard.vault"),
    ("history", "History", "dashboard.history"),
    ("users", "Users", "dashboard.client_users"),
)


@dataclass(frozen=True)
class ClientView:
    """The client from the event store (the truth, and who may see it) and its row in
    the read model (counts, names), which may lag a moment behind a new client."""

    client: Client
    row: ClientRow | None

    @property
    def id(self) -> UUID:
        return self.client.id

    @property
    def number(self) -> str:
        return self.client.vat_number or self.client.enterprise_number or ""

    @property
    def peppol_ids(self) -> tuple[str, ...]:
        c = self.client
        return CompanyNumbers(c.country, c.enterprise_number, c.vat_number).peppol_participant_ids


Context = Callable[[ClientView], dict[str, Any]]
_CONTEXTS: dict[str, Context] = {}


def tab_context(tab: str) -> Callable[[Context], Context]:
    """Register what a tab's template needs beyond the client; it is built again when a
    form of the tab fails, so the page shows the error in full."""
    def register(build: Context) -> Context:
        _CONTEXTS[tab] = build
        return build

    return register


def load_client(client_id: UUID) -> ClientView:
    """``ClientNotFound`` (a 404 page) for another firm's client, or a hidden one for an
    accountant."""
    who = viewer()
    client = services().app.client(who.firm_id, client_id, who.actor)
    row = get_client_row(services().read_db, firm_id=who.firm_id, client_id=client_id,
                         viewer_staff_id=who.staff_id, viewer_role=role(who))
    return ClientView(client, row)


def render_client(tab: str, client_id: UUID, *, status: int = 200, **context: Any
                  ) -> tuple[str, int]:
    context.setdefault("errors", None)
    context.setdefault("values", {})
    view = load_client(client_id)
    build = _CONTEXTS.get(tab)
    context = {**(build(view) if build else {}), **context}
    page = render_template(f"dashboard/client/{tab}.html", view=view, tab=tab, tabs=TABS,
                           directory=firm_directory(), **context)
    return page, status


def attempt(tab: str, client_id: UUID, form: str, command: Callable[[], object],
            message: str | Callable[[], str], *, rename: dict[str, str] | None = None,
            values: Any = None) -> Response | tuple[str, int]:
    """Run a command of one of the tab's forms: on success back to the tab saying what
    changed; on a broken rule the same tab again, the error beside its field, the
    values as typed."""
    try:
        command()
    except DomainError as error:
        errors: FormErrors = form_errors(form, error, rename)
        return render_client(tab, client_id, status=status_for(error), errors=errors,
                             values=values or {})
    endpoint = {name: endpoint for name, _, endpoint in TABS}[tab]
    return done(message if isinstance(message, str) else message(), endpoint,
                client_id=client_id)
