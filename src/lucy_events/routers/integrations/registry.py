"""Which adapter delivers to which package of the catalogue.

E-mail packages share the e-mail adapter and FTP packages the FTP adapter (with the
package's folder layout); Exact Online (BE and NL: one adapter, each its own address)
and Yuki have their own API adapters; Wolters Kluwer, Syneton DMS and "other package" go
through the signed webhook, pointed by the firm's portal configuration at their
connector.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lucy_events.aggregates.packages import PACKAGES, IntegrationKind
from lucy_events.notifications.mailer import Mailer
from lucy_events.routers.integrations.base import Integration, PermanentDeliveryError
from lucy_events.routers.integrations.credentials import SecretStore
from lucy_events.routers.integrations.email import EmailIntegration, SmtpRelay
from lucy_events.routers.integrations.exact_online import ExactOnline
from lucy_events.routers.integrations.ftp import FtpIntegration
from lucy_events.routers.integrations.rate_limit import RateLimiter
from lucy_events.routers.integrations.transport import HttpClient
from lucy_events.routers.integrations.webhook import Webhook
from lucy_events.routers.integrations.yuki import Yuki

API_ADAPTERS = {
    "exact-online-api": "exact-online",
    "exact-online-nl-api": "exact-online",
    "yuki-api": "yuki",
    "wolters-kluwer-api": "webhook",
    "syneton-dms-api": "webhook",
    "webhook": "webhook",
}


@dataclass(frozen=True)
class AdapterSettings:
    """What the adapters need besides the secret store; tests swap in their own."""

    smtp_relay: SmtpRelay | None = None
    #: The outgoing-mail backend (bootstrap's ``Services.mailer``); wins over smtp_relay.
    mailer: Mailer | None = None
    #: Trust for the packages' certificates; None means the system's default verification.
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)
    timeout: float = 30.0
    #: Longest a delivery waits for a rate limit before it is retried later instead.
    max_wait: float = 10.0
    exact_calls_per_minute: int = 60
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


def adapter_name(package_code: str) -> str:
    """The adapter of a package, or ``PermanentDeliveryError`` if it has none."""
    package = PACKAGES.get(package_code)
    if package is None or package.kind is IntegrationKind.NONE:
        raise PermanentDeliveryError(f"no delivery adapter for package {package_code!r}")
    if package.kind is IntegrationKind.EMAIL:
        return "email"
    if package.kind is IntegrationKind.FTP:
        return "ftp"
    return API_ADAPTERS[package.code]


def integration_for(
    package_code: str, *, secrets: SecretStore, settings: AdapterSettings | None = None,
) -> Integration:
    """A new adapter for the package. A long-running router should hold one
    ``Integrations`` instead, so every delivery shares Exact's tokens and rate limits."""
    return _build(adapter_name(package_code), secrets, settings or AdapterSettings())


class Integrations:
    """The adapters of one process, each built on first use and then shared."""

    def __init__(self, secrets: SecretStore, settings: AdapterSettings | None = None) -> None:
        self.secrets = secrets
        self.settings = settings or AdapterSettings()
        self._adapters: dict[str, Integration] = {}
        self._lock = threading.Lock()

    def for_package(self, package_code: str) -> Integration:
        name = adapter_name(package_code)
        with self._lock:
            if name not in self._adapters:
                self._adapters[name] = _build(name, self.secrets, self.settings)
            return self._adapters[name]


def _build(name: str, secrets: SecretStore, settings: AdapterSettings) -> Integration:
    http = HttpClient(timeout=settings.timeout, ssl_context=settings.ssl_context)
    if name == "email":
        mailer = settings.mailer or settings.smtp_relay
        if mailer is None:
            raise PermanentDeliveryError("no outgoing-mail backend is configured")
        return EmailIntegration(mailer)
    if name == "ftp":
        return FtpIntegration(secrets, ssl_context=settings.ssl_context,
                              timeout=settings.timeout)
    if name == "exact-online":
        limiter = RateLimiter(settings.exact_calls_per_minute, 60.0,
                              max_wait=settings.max_wait, clock=settings.clock,
                              sleep=settings.sleep)
        return ExactOnline(secrets, http=http, limiter=limiter, max_wait=settings.max_wait,
                           clock=settings.clock, sleep=settings.sleep)
    if name == "yuki":
        return Yuki(secrets, http=http)
    return Webhook(secrets, http=http, clock=settings.clock)
