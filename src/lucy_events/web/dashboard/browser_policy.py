"""What the browser is told about the dashboard's pages: run only this site's own files,
post forms only here, never show them framed by another site (clickjacking), and do not
pass addresses on (an invitation link's token is in its address)."""

from __future__ import annotations

from flask import Response

from lucy_events.web.dashboard import dashboard

_CSP = ("default-src 'self'; frame-ancestors 'none'; form-action 'self'{also}; "
        "base-uri 'none'; object-src 'none'")
POLICY = {
    "Content-Security-Policy": _CSP.format(also=""),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def forms_may_go_to(response: Response, origins: list[str]) -> Response:
    """The policy for a page with a form that redirects to another site on purpose (a
    package's consent page): those origins, and no others, besides this site."""
    also = "".join(f" {origin}" for origin in sorted(set(origins)))
    response.headers["Content-Security-Policy"] = _CSP.format(also=also)
    return response


@dashboard.after_request
def apply_policy(response: Response) -> Response:
    """On every page of the dashboard, and of the client portal (``web.portal.frame``)."""
    for header, value in POLICY.items():
        response.headers.setdefault(header, value)
    return response
