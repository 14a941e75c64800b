"""Cross-site request forgery protection: a secret per session, put in every form and
checked on every POST of the dashboard.

The session cookie (signed, HttpOnly, SameSite=Lax) holds the secret; another site can
make a browser send the cookie but cannot read the secret to put in the form. Signing in
makes a new one, so a secret planted before sign-in is useless afterwards.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from werkzeug.exceptions import BadRequest

from lucy_events.web.dashboard import dashboard

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_SESSION_KEY = "csrf_token"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class CsrfRejected(BadRequest):
    """Raised when a POST does not carry the session's CSRF token."""

    description = ("This form has expired or did not come from this site. "
                   "Go back, reload the page and try again.")


def csrf_token() -> str:
    """The session's token, made on first use."""
    token = session.get(_SESSION_KEY)
    if not token:
        token = session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return str(token)


def renew_csrf_token() -> str:
    session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return str(session[_SESSION_KEY])


@dashboard.before_request
def check_csrf() -> None:
    """Every change carries the session's token (the client portal checks the same)."""
    if request.method in _SAFE_METHODS:
        return
    expected = session.get(_SESSION_KEY)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        raise CsrfRejected()


@dashboard.context_processor
def token_in_templates() -> dict[str, object]:
    return {"csrf_token": csrf_token, "csrf_field": FIELD}
