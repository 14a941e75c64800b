"""What the browser is told about the dashboard's pages: run only this site's own files,
post forms only here, never show them framed by another site (clickjacking), and do not
pass addresses on (an invitation link's token is in its address)."""

from __future__ import annotations

from flask import Response

from lucy_events.web.dashboard import dashboard

POLICY = {
    "Content-Security-Policy": ("default-src 'self'; frame-ancestors 'none'; "
                                "form-action 'self'; base-uri 'none'; object-src 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dashboard.after_request
def apply_policy(response: Response) -> Response:
    """On every page of the dashboard, and of the client portal (``web.portal.frame``)."""
    for header, value in POLICY.items():
        response.headers.setdefault(header, value)
    return response
