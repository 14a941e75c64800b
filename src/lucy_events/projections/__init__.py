"""Read models: plain SQL tables kept up to date by event handlers, and their queries.

| read model (consumer) | tables | queries |
|---|---|---|
| ``dashboard`` | dashboard_clients, _staff, _teams, _firms, _documents | client_queries |
| ``documents`` | client_documents | document_queries |
| (preference, not a read model) | dashboard_favourites | favourites |

Each is a ``TrackedHandler``: any source (Kafka or the notification log) feeds it, and
``replay.rebuild`` rebuilds it from the event store beside the live tables.
"""

from __future__ import annotations

from lucy_events.projections.catalogue import PROJECTIONS
from lucy_events.projections.client_filters import ClientFilters, Tab, TabNotAllowed
from lucy_events.projections.client_queries import (
    ClientPage,
    get_client_row,
    list_clients,
    tab_counts,
)
from lucy_events.projections.client_rows import ClientRow
from lucy_events.projections.dashboard import DashboardProjection
from lucy_events.projections.document_queries import (
    DocumentPage,
    DocumentRow,
    FailedDelivery,
    client_document_ids,
    failed_deliveries,
    get_document_row,
    list_documents,
)
from lucy_events.projections.documents import DocumentsProjection
from lucy_events.projections.favourites import add_favourite, favourites, remove_favourite
from lucy_events.projections.replay import Rebuild, RebuildResult, rebuild

__all__ = [
    "PROJECTIONS",
    "ClientFilters",
    "ClientPage",
    "ClientRow",
    "DashboardProjection",
    "DocumentPage",
    "DocumentRow",
    "DocumentsProjection",
    "FailedDelivery",
    "Rebuild",
    "RebuildResult",
    "Tab",
    "TabNotAllowed",
    "add_favourite",
    "client_document_ids",
    "failed_deliveries",
    "favourites",
    "get_client_row",
    "get_document_row",
    "list_clients",
    "list_documents",
    "rebuild",
    "remove_favourite",
    "tab_counts",
]
