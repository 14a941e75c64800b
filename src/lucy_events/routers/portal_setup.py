"""The firm-level (portal) set-up of the API and FTP packages: which settings and
credentials each needs, saving them (settings in the firm's events, credentials only in
the secret store, never shown again), and "Test connection": a real check against the
package with the delivery adapter itself, its outcome kept as the package's status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.packages import PACKAGES, accounting_package
from lucy_events.application import LucyApplication
from lucy_events.routers.integrations.base import DeliveryError, Target
from lucy_events.routers.integrations.credentials import SecretMissing, SecretStore
from lucy_events.routers.integrations.exact_online import BASE_URLS
from lucy_events.routers.integrations.registry import Integrations, adapter_name
from lucy_events.sqldb import Database, ensure_schema

log = structlog.get_logger()
SCHEMA = """CREATE TABLE IF NOT EXISTS lucy_package_checks (
    firm_id TEXT NOT NULL, package TEXT NOT NULL, ok BOOLEAN NOT NULL, message TEXT NOT NULL,
    checked_at TEXT NOT NULL, PRIMARY KEY (firm_id, package))"""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    secret: bool = False
    required: bool = False


_FTP = [Field("host", "Host", required=True), Field("port", "Port (21)"),
        Field("username", "User", required=True),
        Field("password", "Password", secret=True, required=True),
        Field("tls", "FTPS: true or false (true)"), Field("root", "Root folder"),
        Field("purchase_folder", "Purchase folder layout ({client}/{year}/...)"),
        Field("sales_folder", "Sales folder layout")]
#: What each adapter needs from the firm, in the order the form shows it.
FIELDS: dict[str, list[Field]] = {
    "ftp": _FTP,
    # Wolters Kluwer, Syneton DMS and "other package": their connector's signed webhook.
    "webhook": [Field("url", "Receiver address (https)", required=True),
                Field("lookup_url", "Lookup address (default: the receiver's /lookup)"),
                Field("secret", "Signing secret (shared with the receiver)", secret=True,
                      required=True)],
    "yuki": [Field("access_key", "Access key", secret=True, required=True),
             Field("administration", "Default administration id"),
             Field("base_url", "Web service address (default: Yuki's)")],
    # The refresh token is not typed in: it comes from the admin's consent
    # (``package_consent``), which needs the app's client id and secret first.
    "exact-online": [Field("client_id", "Client id", secret=True, required=True),
                     Field("client_secret", "Client secret", secret=True, required=True),
                     Field("division", "Default division (a number)"),
                     Field("base_url", "Address (default: {address})")],
}
#: Adapters whose firm account is connected by the admin's OAuth2 consent.
BY_CONSENT = frozenset({"exact-online"})


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str
    checked_at: datetime


def fields_for(package_code: str) -> list[Field]:
    package = accounting_package(package_code)
    if not package.needs_portal_configuration:
        raise InvalidValue("package", f"{package.name} needs no firm set-up")
    found = FIELDS.get(adapter_name(package.code))
    if found is None:
        raise InvalidValue("package", f"{package.name} is not set up from here yet")
    address = BASE_URLS.get(package.code, "the package's")
    return [replace(f, label=f.label.replace("{address}", address)) for f in found]


def by_consent(package_code: str) -> bool:
    """Whether the package's firm account is connected by consent (OAuth2)."""
    return adapter_name(accounting_package(package_code).code) in BY_CONSENT


def set_up_here() -> list[str]:
    """The packages this page sets up, in the catalogue's order."""
    return [code for code, p in PACKAGES.items() if p.needs_portal_configuration
            and FIELDS.get(adapter_name(code)) is not None]


class PortalSetup:
    def __init__(self, app: LucyApplication, db: Database, secrets: SecretStore,
                 integrations: Integrations) -> None:
        self.app, self.db, self.secrets, self.integrations = app, db, secrets, integrations
        ensure_schema(db, "lucy_package_checks", [SCHEMA])

    @staticmethod
    def ref(firm_id: UUID, package_code: str) -> str:
        return f"portal-{firm_id}-{package_code}"

    def saved_secrets(self, firm_id: UUID, package_code: str) -> list[str]:
        """The names (never the values) of the credentials already saved."""
        try:
            return sorted(self.secrets.get(self.ref(firm_id, package_code)))
        except SecretMissing:
            return []

    def connected(self, firm_id: UUID, package_code: str) -> bool:
        """Whether consent gave the firm's account a refresh token (OAuth2 packages)."""
        return "refresh_token" in self.saved_secrets(firm_id, package_code)

    def save(self, firm_id: UUID, package_code: str, values: dict[str, str], by: Actor
             ) -> None:
        """An empty credential keeps the saved one; other fields are replaced."""
        fields = fields_for(package_code)
        values = {k: str(v).strip() for k, v in values.items()}
        known = {f.name for f in fields}
        for name in values:
            if name not in known:
                raise InvalidValue(f"settings.{name}", "is not a setting of this package")
        saved = set(self.saved_secrets(firm_id, package_code))
        for f in fields:
            if f.required and not values.get(f.name) and not (f.secret and f.name in saved):
                raise InvalidValue(f"settings.{f.name}", "is required")
        _check_numbers(values)
        ref = self.ref(firm_id, package_code)
        settings = {f.name: values[f.name] for f in fields
                    if not f.secret and values.get(f.name)}
        self.app.configure_portal_integration(
            firm_id, package_code, {**settings, "credentials_ref": ref}, by)
        given = {f.name: values[f.name] for f in fields if f.secret and values.get(f.name)}
        if given:
            old = self.secrets.get(ref) if saved else {}
            self.secrets.put(ref, {**old, **given})
        log.info("package set up", firm_id=str(firm_id), package=package_code,
                 credentials=sorted(given))  # the names, never the values

    def check(self, firm_id: UUID, package_code: str) -> CheckResult:
        fields_for(package_code)
        portal = self.app.firm(firm_id).portal_integrations.get(package_code)
        if portal is None:
            result = CheckResult(False, "not set up yet: save the settings first",
                                 datetime.now(UTC))
        elif by_consent(package_code) and not self.connected(firm_id, package_code):
            result = CheckResult(False, "not connected yet: connect the firm's account "
                                 f"(Connect {PACKAGES[package_code].name})", datetime.now(UTC))
        else:
            target = Target(package_code, accounting_package(package_code).kind.value, {},
                            dict(portal), portal.get("credentials_ref"))
            try:
                found = self.integrations.for_package(package_code).check_connection(target)
                result = CheckResult(True, found, datetime.now(UTC))
            except DeliveryError as error:
                result = CheckResult(False, str(error), datetime.now(UTC))
        self._keep(firm_id, package_code, result)
        log.info("package connection checked", firm_id=str(firm_id), package=package_code,
                 ok=result.ok)
        return result

    def last_checks(self, firm_id: UUID) -> dict[str, CheckResult]:
        with self.db.transaction() as tx:
            rows = tx.execute("SELECT package, ok, message, checked_at FROM "
                              "lucy_package_checks WHERE firm_id = :firm",
                              {"firm": str(firm_id)})
        return {r[0]: CheckResult(bool(r[1]), r[2], datetime.fromisoformat(r[3]))
                for r in rows}

    def _keep(self, firm_id: UUID, package_code: str, result: CheckResult) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO lucy_package_checks (firm_id, package, ok, message, checked_at) "
                "VALUES (:firm, :package, :ok, :message, :at) ON CONFLICT (firm_id, package) "
                "DO UPDATE SET ok = excluded.ok, message = excluded.message, "
                "checked_at = excluded.checked_at",
                {"firm": str(firm_id), "package": package_code, "ok": result.ok,
                 "message": result.message[:500], "at": result.checked_at.isoformat()})


def _check_numbers(values: dict[str, str]) -> None:
    for name in ("port", "division"):
        if values.get(name) and not values[name].isdigit():
            raise InvalidValue(f"settings.{name}", "must be a number")
    if values.get("tls") and values["tls"].lower() not in ("true", "false"):
        raise InvalidValue("settings.tls", "must be true or false")
