"""The JSON API under /api/v1: writes go through the application, reads come from the
read models. Route modules register themselves on ``api`` when imported here.

| module | resources |
|---|---|
| clients | /clients (list, create), /clients/{id} |
| client_settings | /clients/{id}/peppol, integration, allowed-senders, team, auto-send |
| client_admin | /clients/{id}/visibility, firm-contact (admins) |
| favourites | /clients/{id}/favourite (the viewer's own) |
| invitations | /clients/{id}/invitation, /invitations/{token}/accept |
| documents | /clients/{id}/documents (list), /documents/{id} and its type, archive |
| uploads | POST /clients/{id}/documents: one or more files, Idempotency-Key |
| content | /documents/{id}/content (download) |
| sending | /documents/{id}/send, /documents/send (bulk) |
| history | /clients/{id}/history |
| deliveries | /deliveries/failed, /deliveries/retry |
| quarantine | /clients/{id}/quarantine, .../{mail_id}/release, .../discard (admins) |
| openapi | /openapi.json |
| peppol | /peppol/inbound (access points), /peppol/parked (admins) |
| dead_letters | /dead-letters, /dead-letters/{id} and its replay, discard (admins) |
| recognition | /documents/{id}/fields (correct), /documents/{id}/not-duplicate |
| vault | /clients/{id}/vault, /clients/{id}/vault/{file_id} |
| register | /register/search (the Belgian company register) |
| outbox | /outbox, /outbox/{id}: the local outbox's e-mails (admins) |
| invoice_settings | /clients/{id}/invoice-settings |
| invoices | /clients/{id}/invoices, one's issue and credit-note |
| invoice_outputs | an issued invoice's ubl, pdf and send (e-mail) |
| staff | /staff, /staff/{id}/role, /staff/{id}/teams, /teams, /teams/{id} (admins) |
| packages | /packages, /packages/{code}, /packages/{code}/check: firm-level set-up |
| package_consent | /packages/{code}/consent and its callback: Exact Online's OAuth2 consent |
| integration_settings | /clients/{id}/integration/settings: change without unlinking |
| services | /services, /clients/{id}/services/{service_id}: services with participants |
| notifications | /me/digest, /clients/{id}/reminders (admins) |
| portal | /portal/me, /portal/auto-send: the client user's company (client session) |
| portal_documents | /portal/documents (list, upload), /portal/documents/{id} and its content |
| portal_multisender | /portal/destinations, /portal/send-to, /portal/documents/{id}/sendings, |
| | /destination-confirmations/{token} (the multisender) |
| erasure | /erasures: erase a person's personal data (admins) |
"""

from __future__ import annotations

from lucy_events.web.api import (  # noqa: F401  (imported to register their routes)
    client_admin,
    client_settings,
    clients,
    content,
    dead_letters,
    deliveries,
    documents,
    erasure,
    favourites,
    history,
    integration_settings,
    invitations,
    invoice_outputs,
    invoice_settings,
    invoices,
    notifications,
    openapi,
    outbox,
    package_consent,
    packages,
    peppol,
    portal,
    portal_documents,
    portal_multisender,
    quarantine,
    recognition,
    register,
    sending,
    services,
    staff,
    uploads,
    vault,
)
from lucy_events.web.api.blueprint import api

api.register_blueprint(portal.portal_api)

__all__ = ["api"]
