"""Queries on the documents read model: a client's documents, one document, and the
failed and stuck deliveries ops look at and retry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.projections.dashboard_tables import CLIENTS
from lucy_events.projections.documents import DOCUMENTS
from lucy_events.projections.values import moment, parse_id, parse_moment
from lucy_events.sqldb import Database

MAX_PAGE_SIZE = 500
_COLUMNS = tuple(c for c in DOCUMENTS.column_names if c != "version")
_SELECT = ", ".join(f"d.{c}" for c in _COLUMNS)
_LISTED = tuple(s.value for s in DocumentStatus if s is not DocumentStatus.DELETED)


@dataclass(frozen=True)
class DocumentRow:
    document_id: UUID
    client_id: UUID
    firm_id: UUID
    file_name: str
    media_type: str
    size: int
    channel: str
    sender: str | None
    document_type: str | None
    status: str
    received_at: datetime
    status_at: datetime
    attempts: int
    failure_reason: str | None
    retryable: bool
    sent_at: datetime | None
    package: str | None
    remote_reference: str | None
    supplier_name: str | None = None
    supplier_vat: str | None = None
    invoice_number: str | None = None
    issue_date: str | None = None
    total_incl_vat: str | None = None
    currency: str | None = None
    recognition_method: str | None = None
    recognition_confidence: float | None = None
    corrected: str | None = None
    type_source: str | None = None
    duplicate_of: str | None = None
    duplicates: int | None = None

    @property
    def possible_duplicate(self) -> bool:
        return bool(self.duplicates)

    @classmethod
    def from_values(cls, values: Sequence[Any]) -> DocumentRow:
        row = dict(zip(_COLUMNS, values, strict=True))
        for name in ("document_id", "client_id", "firm_id"):
            row[name] = parse_id(row[name])
        for name in ("received_at", "status_at", "sent_at"):
            row[name] = parse_moment(row[name])
        row["retryable"] = bool(row["retryable"])
        return cls(**row)


@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentRow]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class FailedDelivery:
    document: DocumentRow
    client_name: str | None
    #: The client's integration now: where a retry would deliver to.
    integration_package: str | None


def list_documents(
    db: Database, *, firm_id: UUID, client_id: UUID,
    status: str | Sequence[str] | None = None, page: int = 1, page_size: int = 50,
) -> DocumentPage:
    """A client's documents, newest first; deleted ones are never listed. The caller
    checks that the viewer may see the client (``get_client_row``)."""
    if page < 1:
        raise InvalidValue("page", "must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidValue("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
    params: dict[str, Any] = {"client_id": str(client_id), "firm_id": str(firm_id)}
    where = "d.client_id = :client_id AND d.firm_id = :firm_id AND "
    if status is None:
        where += "d.status <> 'Deleted'"
    else:
        statuses = {f"s{i}": s for i, s in enumerate(_statuses(status))}
        where += f"d.status IN ({', '.join(f':{name}' for name in statuses)})"
        params.update(statuses)
    with db.transaction() as tx:
        total = tx.execute(f"SELECT COUNT(*) FROM {DOCUMENTS.name} d WHERE {where}", params)
        values = tx.execute(
            f"SELECT {_SELECT} FROM {DOCUMENTS.name} d WHERE {where} "
            "ORDER BY d.received_at DESC, d.document_id DESC LIMIT :limit OFFSET :offset",
            {**params, "limit": page_size, "offset": (page - 1) * page_size},
        )
    rows = [DocumentRow.from_values(v) for v in values]
    return DocumentPage(rows, int(total[0][0]), page, page_size)


def client_document_ids(db: Database, *, firm_id: UUID, client_id: UUID) -> list[UUID]:
    """Every document the client ever had, deleted ones too, oldest first: where a
    client's audit trail finds its documents without scanning the event store."""
    with db.transaction() as tx:
        values = tx.execute(
            f"SELECT d.document_id FROM {DOCUMENTS.name} d WHERE d.client_id = :client_id "
            "AND d.firm_id = :firm_id ORDER BY d.received_at, d.document_id",
            {"client_id": str(client_id), "firm_id": str(firm_id)},
        )
    return [UUID(v[0]) for v in values]


def get_document_row(db: Database, *, firm_id: UUID, document_id: UUID) -> DocumentRow | None:
    """The document's row; None when it is not the firm's, or was deleted."""
    with db.transaction() as tx:
        values = tx.execute(
            f"SELECT {_SELECT} FROM {DOCUMENTS.name} d WHERE d.document_id = :document_id "
            "AND d.firm_id = :firm_id AND d.status <> 'Deleted'",
            {"document_id": str(document_id), "firm_id": str(firm_id)},
        )
    return DocumentRow.from_values(values[0]) if values else None


def failed_deliveries(
    db: Database, *, firm_id: UUID | None = None, client_id: UUID | None = None,
    package: str | None = None, since: datetime | None = None,
    retryable: bool | None = None, limit: int = 1000,
) -> list[FailedDelivery]:
    """Documents whose last delivery failed (status Failed), the latest failures first,
    across firms unless one is named. ``package`` is the client's current integration."""
    clauses = ["d.status = 'Failed'"]
    params: dict[str, Any] = {"limit": limit}
    for column, value in (("d.firm_id", firm_id), ("d.client_id", client_id),
                          ("c.integration_package", package)):
        if value is not None:
            name = column.split(".")[1]
            clauses.append(f"{column} = :{name}")
            params[name] = str(value)
    if since is not None:
        clauses.append("d.status_at >= :since")
        params["since"] = moment(since)
    if retryable is not None:
        clauses.append("d.retryable = TRUE" if retryable else "d.retryable = FALSE")
    with db.transaction() as tx:
        values = tx.execute(
            f"SELECT {_SELECT}, c.name, c.integration_package FROM {DOCUMENTS.name} d "
            f"LEFT JOIN {CLIENTS.name} c ON c.client_id = d.client_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY d.status_at DESC, d.document_id "
            "LIMIT :limit",
            params,
        )
    return [FailedDelivery(DocumentRow.from_values(v[:-2]), v[-2], v[-1]) for v in values]


@dataclass(frozen=True)
class StuckDelivery:
    document: DocumentRow
    client_name: str | None
    integration_package: str | None


def stuck_deliveries(db: Database, *, requested_before: datetime,
                     firm_id: UUID | None = None, limit: int = 10_000) -> list[StuckDelivery]:
    """Documents in Sending since before ``requested_before``, the oldest first."""
    clauses = ["d.status = 'Sending'", "d.status_at < :before"]
    params: dict[str, Any] = {"before": moment(requested_before), "limit": limit}
    if firm_id is not None:
        clauses.append("d.firm_id = :firm_id")
        params["firm_id"] = str(firm_id)
    with db.transaction() as tx:
        values = tx.execute(
            f"SELECT {_SELECT}, c.name, c.integration_package FROM {DOCUMENTS.name} d "
            f"LEFT JOIN {CLIENTS.name} c ON c.client_id = d.client_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY d.status_at, d.document_id LIMIT :limit",
            params)
    return [StuckDelivery(DocumentRow.from_values(v[:-2]), v[-2], v[-1]) for v in values]



def _statuses(status: str | Sequence[str]) -> tuple[str, ...]:
    wanted = (status,) if isinstance(status, str) else tuple(status)
    for value in wanted:
        if value not in _LISTED:
            raise InvalidValue("status", f"must be one of {', '.join(_LISTED)}")
    if not wanted:
        raise InvalidValue("status", "name at least one status")
    return wanted
