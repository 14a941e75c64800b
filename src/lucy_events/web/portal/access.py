"""What a client user may reach: their own company's documents, nothing else. One rule
for the portal's pages and its API: a document of another company (of the same firm or
another) is "not found", like one that does not exist."""

from __future__ import annotations

from uuid import UUID

from flask import current_app

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DocumentNotFound
from lucy_events.bootstrap import Services
from lucy_events.web.portal.auth import ClientViewer


def services() -> Services:
    found: Services = current_app.extensions["lucy"]
    return found


def own_company(who: ClientViewer) -> Client:
    return services().app.client(who.firm_id, who.client_id, who.actor)


def own_document(who: ClientViewer, document_id: UUID) -> Document:
    document = services().app.document(who.firm_id, document_id, who.actor)
    if document.client_id != who.client_id:
        raise DocumentNotFound(f"no document {document_id}")
    return document
