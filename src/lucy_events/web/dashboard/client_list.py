"""The client list: the viewer's tabs with their counts, search, filters, sort, pages,
and the star that puts a client on top for the viewer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for

from lucy_events.aggregates.client import ClientStatus
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.packages import PACKAGES
from lucy_events.projections import (
    ClientFilters,
    ClientPage,
    Tab,
    add_favourite,
    get_client_row,
    list_clients,
    remove_favourite,
    tab_counts,
)
from lucy_events.projections.client_filters import tab_for
from lucy_events.web.api.schemas.common import MAX_PAGE
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.forms import FormErrors, checked, form_errors
from lucy_events.web.dashboard.pages import firm_directory, role, safe_next, services, viewer

PAGE_SIZE = 25
TAB_LABELS = {Tab.INVITATIONS: "Invitations", Tab.ONBOARDING: "Onboarding",
              Tab.MY_CLIENTS: "My clients", Tab.ALL: "All"}
SORTS = {"name": "Name (A to Z)", "-name": "Name (Z to A)", "status": "Status",
         "-inbox": "Most in the Inbox", "trial_end": "Trial ends soonest",
         "-last_document": "Latest document", "-created": "Newest clients"}
PEPPOL = {"any": "Sending or receiving", "send": "Sending", "receive": "Receiving",
          "both": "Sending and receiving", "none": "Not on Peppol"}


@dataclass(frozen=True)
class ListQuery:
    """The list's query string, as typed: the links of the page keep it."""

    tab: str = ""
    q: str = ""
    status: str = ""
    team: str = ""
    peppol: str = ""
    integration: str = ""
    has_inbox: str = ""
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ListQuery:
        try:
            page = min(MAX_PAGE, max(1, int(args.get("page", "1"))))
        except ValueError:
            page = 1
        typed = {name: args.get(name, "").strip() for name in
                 ("tab", "q", "status", "team", "peppol", "integration", "has_inbox")}
        return cls(**typed, sort=args.get("sort", "").strip() or "name", page=page)

    @property
    def filters(self) -> ClientFilters:
        has_inbox = {"yes": True, "no": False}.get(self.has_inbox)
        return ClientFilters(self.q or None, self.status or None, self.team or None,
                             self.peppol or None, self.integration or None, has_inbox)

    @property
    def filtering(self) -> bool:
        return any((self.status, self.team, self.peppol, self.integration, self.has_inbox))

    def url(self, **changes: object) -> str:
        """This list with some parameters changed; a new filter or sort starts at page 1."""
        values = asdict(replace(self, **{"page": 1, **changes}))  # type: ignore[arg-type]
        kept = {k: v for k, v in values.items()
                if v and not (k == "sort" and v == "name") and not (k == "page" and v == 1)}
        return url_for("dashboard.clients", **kept)


@dashboard.get("/")
def clients() -> tuple[str, int]:
    who, query = viewer(), ListQuery.from_args(request.args)
    db = services().read_db
    firm: dict[str, Any] = {"firm_id": who.firm_id, "viewer_staff_id": who.staff_id,
                            "viewer_role": role(who)}
    active = tab_for(role(who), query.tab or None)  # an accountant asking for All: 403
    errors: FormErrors | None = None
    try:
        page = list_clients(db, **firm, tab=active, **asdict(query.filters),
                            sort=query.sort, page=query.page, page_size=PAGE_SIZE)
        counts = tab_counts(db, **firm, filters=query.filters)
    except InvalidValue as error:
        errors = form_errors("filters", error)
        page = ClientPage([], 0, 1, PAGE_SIZE)
        counts = tab_counts(db, **firm)
    return render_template(
        "dashboard/clients.html", page=page, counts=counts, active=active, query=query,
        tab_labels=TAB_LABELS, filter_options=_filter_options(), errors=errors,
    ), 422 if errors else 200


def _filter_options() -> dict[str, list[tuple[str, str]]]:
    """(value, label) of each filter's choices."""
    packages = sorted(PACKAGES.values(), key=lambda p: p.name.casefold())
    return {
        "status": [(s.value, s.value) for s in ClientStatus],
        "team": [(str(i), name) for i, name in firm_directory().teams] + [("none", "No team")],
        "peppol": list(PEPPOL.items()),
        "integration": [(p.code, p.name) for p in packages],
        "has_inbox": [("yes", "Has documents in the Inbox"), ("no", "Inbox empty")],
        "sort": list(SORTS.items()),
    }


@dashboard.post("/clients/<uuid:client_id>/favourite")
def favourite(client_id: UUID) -> Response:
    who = viewer()
    row = get_client_row(services().read_db, firm_id=who.firm_id, client_id=client_id,
                         viewer_staff_id=who.staff_id, viewer_role=role(who))
    if row is None:
        raise ClientNotFound(f"no client {client_id}")
    if checked("favourite"):
        add_favourite(services().read_db, who.staff_id, client_id)
        flash(f"{row.name} is one of your favourites: it stays on top of your list.", "success")
    else:
        remove_favourite(services().read_db, who.staff_id, client_id)
        flash(f"{row.name} is no longer one of your favourites.", "success")
    back = safe_next(request.form.get("next"), url_for("dashboard.clients"))
    return redirect(back, 303)  # type: ignore[return-value]
