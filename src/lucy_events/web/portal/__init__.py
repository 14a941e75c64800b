"""The client portal: the company's own users see their documents, upload, and choose
their settings, in Dutch, French or English. Pages under ``/portal``; the same things
as JSON under ``/api/v1/portal`` (``web.api.portal``). Route modules register
themselves on ``portal`` when imported here.

| module | pages (HTML) |
|---|---|
| frame | CSRF on every POST, error pages, the language switch, what every page shares |
| signin | /portal/signin (password or an e-mailed link), /portal/signout, /portal/welcome/{token} |
| documents | /portal/ (Inbox), /portal/documents, one document with its preview, upload |
| settings | /portal/inbox-address, /portal/settings (auto-send), /portal/integrations |
| users | /portal/users: invite (owners), remove (owners) |
| destinations | the multisender: destinations on /portal/integrations, |
| | /portal/destinations/confirm/{token}, /portal/send-to (one or several) |

Another page gets the signed-in client user with ``web.portal.auth``
(``client_user_required``, ``current_client_user``). The Integrations page includes
``portal/destinations.html`` where it exists (the multisender's destinations).
"""

from __future__ import annotations

from flask import Blueprint

portal = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")

from lucy_events.web.portal import (  # noqa: E402, F401  (imported to register routes)
    destinations,
    documents,
    frame,
    settings,
    signin,
    users,
)
