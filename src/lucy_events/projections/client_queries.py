"""The dashboard's client queries: the list (tabs, search, filters, sort, pages), one
client's row, and the counts for the tab badges. Plain SQL on the dashboard's tables."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.projections.client_filters import (
    TABS,
    ClientFilters,
    Tab,
    mine,
    order_by,
    role_of,
    tab_condition,
    tab_for,
    visible,
)
from lucy_events.projections.client_rows import COLUMNS, ClientRow
from lucy_events.projections.dashboard_tables import CLIENTS
from lucy_events.projections.favourites import TABLE as FAVOURITES
from lucy_events.sqldb import Database

MAX_PAGE_SIZE = 200
_COLUMNS = ", ".join(f"c.{name}" for name in COLUMNS)
_FAVOURITE = (f"SELECT 1 FROM {FAVOURITES} f "
              "WHERE f.staff_id = :viewer AND f.client_id = c.client_id")


@dataclass(frozen=True)
class ClientPage:
    rows: list[ClientRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_clients(
    db: Database, *, firm_id: UUID, viewer_staff_id: UUID, viewer_role: Role | str,
    tab: Tab | str | None = None, q: str | None = None, status: str | None = None,
    team: UUID | str | None = None, peppol: str | None = None,
    integration: str | None = None, has_inbox: bool | None = None,
    sort: str | None = "name", page: int = 1, page_size: int = 25,
) -> ClientPage:
    """One page of the firm's clients as the viewer sees them: the viewer's favourites
    first, then by ``sort``. Accountants have the Onboarding and My clients tabs only
    (``TabNotAllowed`` otherwise) and never see hidden clients."""
    role = role_of(viewer_role)
    chosen = tab_for(role, tab)
    order = order_by(sort)
    if page < 1:
        raise InvalidValue("page", "must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidValue("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
    filters = ClientFilters(q, status, team, peppol, integration, has_inbox)
    start = (page - 1) * page_size
    with db.transaction() as tx:
        where = visible(firm_id, role)
        filters.apply_to(where)
        mine_clause, params = mine(viewer_staff_id)
        where.add(tab_condition(chosen, mine_clause), **params)
        total = tx.execute(f"SELECT COUNT(*) FROM {CLIENTS.name} c WHERE {where.sql}",
                           where.params)[0][0]
        # Favourites and the others apart: the others then come in index order, a page
        # at a time, instead of sorting all of the firm's clients for every page.
        favourites = tx.execute(
            f"SELECT {_COLUMNS}, TRUE FROM {FAVOURITES} f CROSS JOIN {CLIENTS.name} c "
            f"WHERE f.staff_id = :viewer AND c.client_id = f.client_id AND {where.sql} "
            f"ORDER BY {order}", where.params)
        values = favourites[start:start + page_size]
        if len(values) < page_size:
            values += tx.execute(
                f"SELECT {_COLUMNS}, FALSE FROM {CLIENTS.name} c WHERE {where.sql} "
                f"AND NOT EXISTS ({_FAVOURITE}) ORDER BY {order} LIMIT :limit OFFSET :offset",
                {**where.params, "limit": page_size - len(values),
                 "offset": max(0, start - len(favourites))},
            )
    return ClientPage([ClientRow.from_values(v) for v in values], int(total), page, page_size)


def get_client_row(
    db: Database, *, firm_id: UUID, client_id: UUID, viewer_staff_id: UUID | None = None,
    viewer_role: Role | str = Role.ADMIN,
) -> ClientRow | None:
    """The client's row; None when it is not the firm's, or hidden from the viewer."""
    where = visible(firm_id, role_of(viewer_role))
    where.add("c.client_id = :client_id", client_id=str(client_id),
              viewer=str(viewer_staff_id or ""))
    with db.transaction() as tx:
        values = tx.execute(
            f"SELECT {_COLUMNS}, EXISTS ({_FAVOURITE}) FROM {CLIENTS.name} c WHERE {where.sql}",
            where.params)
    return ClientRow.from_values(values[0]) if values else None


def tab_counts(
    db: Database, *, firm_id: UUID, viewer_staff_id: UUID, viewer_role: Role | str,
    filters: ClientFilters | None = None,
) -> dict[Tab, int]:
    """How many clients each of the viewer's tabs holds (with the same filters)."""
    role = role_of(viewer_role)
    where = visible(firm_id, role)
    (filters or ClientFilters()).apply_to(where)
    with db.transaction() as tx:
        mine_clause, params = mine(viewer_staff_id)
        sums = ", ".join(
            f"COALESCE(SUM(CASE WHEN {tab_condition(tab, mine_clause)} THEN 1 ELSE 0 END), 0)"
            for tab in Tab
        )
        values = tx.execute(f"SELECT {sums} FROM {CLIENTS.name} c WHERE {where.sql}",
                            {**where.params, **params})[0]
    counts = dict(zip(Tab, (int(v) for v in values), strict=True))
    return {tab: counts[tab] for tab in TABS[role]}
