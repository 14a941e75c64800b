"""The read models this service keeps, by name (the name is also their consumer name)."""

from __future__ import annotations

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.projections.base import Projection
from lucy_events.projections.dashboard import DashboardProjection
from lucy_events.projections.documents import DocumentsProjection
from lucy_events.projections.inbox_addresses import InboxAddressesProjection
from lucy_events.projections.invoices import InvoicesProjection
from lucy_events.projections.peppol_validations import PeppolValidationsProjection
from lucy_events.projections.vault import VaultProjection

PROJECTIONS: dict[str, type[Projection]] = {
    DashboardProjection.base_name: DashboardProjection,
    DocumentsProjection.base_name: DocumentsProjection,
    PeppolValidationsProjection.base_name: PeppolValidationsProjection,
    VaultProjection.base_name: VaultProjection,
    InboxAddressesProjection.base_name: InboxAddressesProjection,
    InvoicesProjection.base_name: InvoicesProjection,
}


def projection_class(name: str) -> type[Projection]:
    try:
        return PROJECTIONS[name]
    except KeyError:
        raise InvalidValue(
            "projection", f"unknown read model {name!r}; one of {', '.join(PROJECTIONS)}"
        ) from None
