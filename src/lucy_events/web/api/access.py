"""What the acting staff member may see, from the read models, and reading one's own
writes. Another firm's client or document, or a hidden client for an accountant, is
"not found" (404): nobody can tell it exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from flask import current_app

from lucy_events.aggregates.actors import Role
from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.document_rules import DocumentNotFound
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.firm import StaffMemberNotFound, TeamNotFound
from lucy_events.bootstrap import Services
from lucy_events.projections import ClientRow, DocumentRow, get_client_row, get_document_row
from lucy_events.web.api.freshness import wait_for_own_writes
from lucy_events.web.auth import Viewer


def services() -> Services:
    found: Services = current_app.extensions["lucy"]
    return found


def role(viewer: Viewer) -> Role:
    return viewer.actor.role or Role.ACCOUNTANT


def client_row(viewer: Viewer, client_id: UUID) -> ClientRow | None:
    return get_client_row(services().read_db, firm_id=viewer.firm_id, client_id=client_id,
                          viewer_staff_id=viewer.staff_id, viewer_role=role(viewer))


def visible_client(viewer: Viewer, client_id: UUID) -> ClientRow:
    row = client_row(viewer, client_id)
    if row is None:
        raise ClientNotFound(f"no client {client_id}")
    return row


def visible_document(viewer: Viewer, document_id: UUID) -> DocumentRow:
    row = get_document_row(services().read_db, firm_id=viewer.firm_id, document_id=document_id)
    # An accountant sees a document only while its client is visible to them.
    if row is None or (not viewer.is_admin and client_row(viewer, row.client_id) is None):
        raise DocumentNotFound(f"no document {document_id}")
    return row


def written() -> bool:
    """After a command: wait until the read models show it (embedded default only)."""
    return wait_for_own_writes(services())


@contextmanager
def referenced(*, team: str | None = None, staff: str | None = None) -> Iterator[None]:
    """A team or staff member named in the request that the firm does not have is an
    invalid field of the request (422), not a missing resource (404)."""
    try:
        yield
    except TeamNotFound as error:
        if team is None:
            raise
        raise InvalidValue(team, str(error)) from None
    except StaffMemberNotFound as error:
        if staff is None:
            raise
        raise InvalidValue(staff, str(error)) from None
