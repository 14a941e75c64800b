"""Connecting the firm's account at an OAuth2 package (Exact Online BE and NL) by the
admin's consent, instead of pasting a refresh token.

``start`` sends the admin to the package's authorization page with a ``state``; the
package sends them back to ``redirect_uri`` (``<LUCY_PUBLIC_URL>/packages/connected``)
with a code, or with an error; ``finish`` exchanges the code at the token endpoint and
keeps the refresh token in the secret store, beside the client id and secret.

The state is the callback's guard against forgery: random, kept only as its sha256,
spent by its first use (one conditional ``UPDATE … RETURNING``), valid ``STATE_TTL``, and
bound to the firm, the staff member, the package and the credential (dashboard session
or bearer token) that started it. Whatever goes wrong — consent denied, a state that is
unknown, spent, expired or someone else's, a refused code, an unreachable token
endpoint — raises before anything is written, and says what to do.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.aggregates.packages import PACKAGES, accounting_package
from lucy_events.application import LucyApplication
from lucy_events.routers.integrations.base import DeliveryError
from lucy_events.routers.integrations.exact_online import (
    authorize_url_of,
    base_url_of,
    token_url_of,
)
from lucy_events.routers.integrations.oauth import OAuthTokens
from lucy_events.routers.portal_setup import CheckResult, PortalSetup, by_consent
from lucy_events.sqldb import Database, ensure_schema

log = structlog.get_logger()
#: How long the admin has to give consent at the package.
STATE_TTL = timedelta(minutes=10)
#: The callback's path on the dashboard; the redirect URI registered with the app.
CALLBACK_PATH = "/packages/connected"
SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_oauth_states (
    state_hash TEXT PRIMARY KEY, firm_id TEXT NOT NULL, staff_id TEXT NOT NULL,
    package TEXT NOT NULL, binding TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT)"""
_AGAIN = "; start again with Connect"


class ConsentFailed(DomainError):
    """Raised when the package's consent gave no refresh token: the token endpoint
    refused the code or could not be reached. Nothing was changed; the message says
    why (never a secret), and connecting again is the way on."""


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class ConsentStarted:
    authorize_url: str
    redirect_uri: str
    expires_at: datetime


@dataclass(frozen=True)
class Connected:
    package: str
    check: CheckResult


class PackageConsent:
    def __init__(self, app: LucyApplication, db: Database, setup: PortalSetup,
                 tokens: OAuthTokens, public_url: str,
                 clock: Callable[[], datetime]) -> None:
        self.app, self.db, self.setup, self.tokens = app, db, setup, tokens
        self.redirect_uri = public_url.rstrip("/") + CALLBACK_PATH
        self.clock = clock
        ensure_schema(db, "lucy_oauth_states", [SCHEMA])

    def start(self, firm_id: UUID, staff_id: UUID, binding: str, package_code: str
              ) -> ConsentStarted:
        """The package's authorization URL to send the admin to. ``binding``: a hash of
        the credential the request came with (the callback must come with the same)."""
        package = accounting_package(package_code)
        if not package.needs_portal_configuration or not by_consent(package.code):
            raise InvalidValue("package", f"{package.name} is not connected by consent")
        portal = self.app.firm(firm_id).portal_integrations.get(package.code)
        saved = set(self.setup.saved_secrets(firm_id, package.code))
        if portal is None or not {"client_id", "client_secret"} <= saved:
            raise InvalidValue("settings.client_id", "save the app's client id and client "
                               f"secret for {package.name} first, then connect")
        authorize = authorize_url_of(self._base_url(package.code, portal))
        client_id = self.setup.secrets.get(PortalSetup.ref(firm_id, package.code))["client_id"]
        state, now = secrets.token_urlsafe(32), self.clock()
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_oauth_states (state_hash, firm_id, staff_id, package, "
                "binding, created_at, expires_at) VALUES (:hash, :firm, :staff, :package, "
                ":binding, :now, :expires)",
                {"hash": _hash(state), "firm": str(firm_id), "staff": str(staff_id),
                 "package": package.code, "binding": binding, "now": now.isoformat(),
                 "expires": (now + STATE_TTL).isoformat()})
        query = urlencode({"client_id": client_id, "redirect_uri": self.redirect_uri,
                           "response_type": "code", "state": state})
        log.info("package consent started", firm_id=str(firm_id), package=package.code)
        return ConsentStarted(f"{authorize}?{query}", self.redirect_uri, now + STATE_TTL)

    def finish(self, firm_id: UUID, by: Actor, binding: str, *, state: str,
               code: str | None = None, error: str | None = None,
               error_description: str | None = None, expected: str | None = None
               ) -> Connected:
        """Spend the state, exchange the code, keep the refresh token, record who
        connected, and test the connection (its outcome is the package's status).
        ``expected``: the package the caller means (the state must be for it)."""
        package_code = self._spend(firm_id, UUID(str(by.id)), binding, state)
        if expected is not None and expected != package_code:
            raise InvalidValue("state", f"this consent is for {package_code}, not "
                               f"{expected}{_AGAIN}")
        name = PACKAGES[package_code].name
        if error:  # the package's words, shortened: they end up in a flash cookie
            detail = f" ({error_description[:200]})" if error_description else ""
            raise InvalidValue("error", f"{name} did not give access: {error[:100]}"
                               f"{detail}; nothing was changed")
        if not code:
            raise InvalidValue("code", f"{name} sent no authorization code{_AGAIN}")
        portal = self.app.firm(firm_id).portal_integrations.get(package_code) or {}
        try:
            self.tokens.exchange_code(PortalSetup.ref(firm_id, package_code),
                                      token_url_of(self._base_url(package_code, portal)),
                                      code, self.redirect_uri)
        except DeliveryError as failure:
            log.warning("package consent failed", firm_id=str(firm_id), package=package_code,
                        reason=failure.reason)
            raise ConsentFailed(f"{failure.reason}; nothing was changed{_AGAIN}") from None
        self.app.record_portal_connection(firm_id, package_code, by)
        log.info("package connected by consent", firm_id=str(firm_id), package=package_code)
        return Connected(package_code, self.setup.check(firm_id, package_code))

    def _spend(self, firm_id: UUID, staff_id: UUID, binding: str, state: str) -> str:
        now = self.clock()
        with self.db.transaction() as tx:
            rows = tx.execute(
                "UPDATE lucy_oauth_states SET used_at = :now WHERE state_hash = :hash AND "
                "used_at IS NULL RETURNING firm_id, staff_id, package, binding, expires_at",
                {"hash": _hash(state or ""), "now": now.isoformat()})
        if not rows:
            raise InvalidValue("state", f"this consent is unknown or was used already{_AGAIN}")
        found_firm, found_staff, package, found_binding, expires_at = rows[0]
        if (found_firm, found_staff, found_binding) != (str(firm_id), str(staff_id), binding):
            log.warning("package consent from another session refused", firm_id=str(firm_id))
            raise InvalidValue("state", f"this consent was started by someone else or in "
                               f"another session{_AGAIN}")
        if datetime.fromisoformat(str(expires_at)) <= now:
            raise InvalidValue("state", f"this consent has expired{_AGAIN}")
        return str(package)

    @staticmethod
    def _base_url(package_code: str, portal: dict[str, str]) -> str:
        try:
            return base_url_of(package_code, portal)
        except DeliveryError as failure:
            raise InvalidValue("settings.base_url", failure.reason) from None
