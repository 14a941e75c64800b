"""The accountant's web dashboard: server-rendered pages over the same application and
read models as the API. Route modules register themselves on ``dashboard`` when imported
here.

| module | pages (HTML) |
|---|---|
| signin | /signin, /signout |
| client_list | / (tabs, search, filters, sort, pages), /clients/{id}/favourite |
| new_client | /clients/new: register search, company, people, summary, create |
| overview | /clients/{id}: onboarding, Peppol, contacts, visibility, auto-send |
| documents | /clients/{id}/documents: send (bulk too), type, archive, delete, download |
| document_page | /clients/{id}/documents/{id}: preview, fields, corrections, duplicate, history |
| integrations | /clients/{id}/integrations: link one package, unlink |
| senders | /clients/{id}/senders |
| records | /clients/{id}/history |
| uploads | /clients/{id}/documents/upload: several files at once |
| vault | /clients/{id}/vault: shared files, upload, download, delete |
| quarantine | the inbox address; quarantined mail on the senders tab, release, discard |
| invitation_page | /invitations/{token}: the client's contact person accepts |
| deliveries | /deliveries: failed deliveries with reasons, sending them again (admins) |
| outbox | /outbox: the e-mails of the local outbox, each opened (admins) |
| client_users | /clients/{id}/users: the client's users, "Replace" while the user is new |
| customer_view | /clients/{id}/as-customer: the client portal's Inbox, read-only |
| invoicing | /clients/{id}/invoice-settings, /clients/{id}/invoices: create, issue, credit |
| staff_page | /staff: staff and teams (admins); /staff-links/{token}: first sign-in |
| packages_page | /packages: the firm's API and FTP packages, Test connection (admins) |
| client_services | services on the client overview; POST /services defines one (admins) |
| notifications_page | /digest (my digest); Notify participants on the overview (admins) |

Every POST carries the session's CSRF token (``csrf``); errors of the pages render as
HTML (``html_errors``), not as the API's JSON; ``browser_policy`` sets the security
headers of every page.
"""

from __future__ import annotations

from flask import Blueprint

# Its files under /assets: the app itself answers /static (Flask's default static route).
dashboard = Blueprint("dashboard", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/assets")

from lucy_events.web.dashboard import (  # noqa: E402, F401  (imported to register routes)
                      browser_policy,
                      client_list,
                      client_services,
                      client_users,
                      csrf,
                      customer_view,
                      deliveries,
                      document_page,
                      documents,
                      html_errors,
                      integrations,
                      invitation_page,
                      invoicing,
                      labels,
                      new_client,
                      notifications_page,
                      outbox,
                      overview,
                      packages_page,
                      quarantine,
                      records,
                      senders,
                      signin,
                      staff_page,
                      uploads,
                      vault,
)
