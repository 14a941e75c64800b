"""The JSON API under /api/v1: writes go through the application, reads come from the
read models. Route modules register themselves on ``api`` when imported here.

| module | resources |
|---|---|
| clients | /clients (list, create), /clients/{id} |
| client_settings | /clients/{id}/peppol, integration, allowed-senders, team, auto-send |
| client_admin | /clients/{id}/visibility, firm-contact (admins) |
| favourites | /clients/{id}/favourite (the viewer's own) |
| invitations | /clients/{id}/invitation, /invitations/{token}/accept |
| documents | /clients/{id}/documents, /documents/{id} and its type, archive |
| content | /documents/{id}/content (download) |
| sending | /documents/{id}/send, /documents/send (bulk) |
| history | /clients/{id}/history |
| deliveries | /deliveries/failed, /deliveries/retry |
| quarantine | /clients/{id}/quarantine, .../{mail_id}/release, .../discard (admins) |
| openapi | /openapi.json |
"""

from __future__ import annotations

from lucy_events.web.api import (  # noqa: F401  (imported to register their routes)
    client_admin,
    client_settings,
    clients,
    content,
    deliveries,
    documents,
    favourites,
    history,
    invitations,
    openapi,
    quarantine,
    sending,
)
from lucy_events.web.api.blueprint import api

__all__ = ["api"]
