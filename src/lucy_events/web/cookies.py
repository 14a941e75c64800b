"""The session cookie's Secure flag, and which proxies are believed about the scheme.

``LUCY_SECURE_COOKIES`` true or false fixes the flag; unset (auto) it follows the
request: Secure when it came over HTTPS. Behind a TLS-terminating proxy the request
reaches the service over plain HTTP, so the proxy's ``X-Forwarded-Proto`` (and -For,
-Host) is believed from as many proxies as ``LUCY_TRUSTED_PROXIES`` says, and from no
one else: a client cannot claim HTTPS (or another address for the throttle) itself.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self, secure: bool | None) -> None:
        self.secure = secure

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure if self.secure is None else self.secure


def install(app: Flask, *, secure: bool | None, trusted_proxies: int) -> None:
    app.session_interface = SessionCookies(secure)
    if trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies,
            x_host=trusted_proxies)
