"""The accounting packages a client's documents can be routed to, and how.

API and FTP integrations talk to the firm's own account at the package, so an admin
configures them once for the firm (the portal configuration) before any client can
link them; e-mail integrations only need the client's addresses at the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lucy_events.aggregates.companies import valid_email
from lucy_events.aggregates.errors import InvalidValue


class IntegrationKind(StrEnum):
    API = "api"
    FTP = "ftp"
    EMAIL = "email"
    NONE = "none"


@dataclass(frozen=True)
class AccountingPackage:
    code: str
    name: str
    kind: IntegrationKind

    @property
    def needs_portal_configuration(self) -> bool:
        return self.kind in (IntegrationKind.API, IntegrationKind.FTP)


def _packages(kind: IntegrationKind, *entries: tuple[str, str]) -> list[AccountingPackage]:
    return [AccountingPackage(code, name, kind) for code, name in entries]


NO_INTEGRATION = AccountingPackage("none", "No integration", IntegrationKind.NONE)
#: Exact Online's regions are packages of their own (start.exactonline.be, .nl): one
#: adapter, another address; a client's administration there is its division, a number.
EXACT_ONLINE = frozenset({"exact-online-api", "exact-online-nl-api"})

PACKAGES: dict[str, AccountingPackage] = {
    p.code: p
    for p in [
        *_packages(
            IntegrationKind.API,
            ("yuki-api", "Yuki"),
            ("exact-online-api", "Exact Online BE"),
            ("exact-online-nl-api", "Exact Online NL"),
            ("wolters-kluwer-api", "Wolters Kluwer"),
            ("syneton-dms-api", "Syneton DMS"),
            ("webhook", "Other package (signed webhook)"),
        ),
        *_packages(
            IntegrationKind.FTP,
            ("expert-m", "Expert/M"),
            ("vero-online", "Vero Online"),
            ("sage-bob", "Sage Bob"),
            ("account-2000", "Account 2000"),
            ("adsolut", "Adsolut"),
            ("ftp", "Any FTP server"),
        ),
        *_packages(
            IntegrationKind.EMAIL,
            ("yuki-email", "Yuki (e-mail)"),
            ("exact-online-email", "Exact Online (e-mail)"),
            ("clearfacts", "Clearfacts"),
            ("lyanthe", "Lyanthe"),
            ("octopus", "Octopus"),
            ("winbooks", "Winbooks"),
            ("zenvoices", "Zenvoices"),
            ("scan-sys", "Scan Sys"),
            ("admisol", "Admisol"),
            ("wings", "Wings"),
            ("email", "Any e-mail address"),
        ),
        NO_INTEGRATION,
    ]
}


def accounting_package(code: str, field: str = "package") -> AccountingPackage:
    try:
        return PACKAGES[code]
    except KeyError:
        raise InvalidValue(field, f"unknown accounting package {code!r}") from None


def integration_settings(
    package: AccountingPackage, settings: dict[str, str]
) -> dict[str, str]:
    """Validate a client's own settings for a package (not the firm's credentials).

    E-mail packages need the client's purchase address at the package and may have a
    separate sales address; API and FTP packages may name the client's administration
    (Exact division, Yuki administration, FTP folder).
    """
    settings = {k: str(v).strip() for k, v in (settings or {}).items() if str(v).strip()}
    allowed = {
        IntegrationKind.EMAIL: {"purchase_address", "sales_address"},
        IntegrationKind.API: {"administration"},
        IntegrationKind.FTP: {"folder"},
        IntegrationKind.NONE: set(),
    }[package.kind]
    for key in settings:
        if key not in allowed:
            raise InvalidValue(f"settings.{key}", f"is not a setting of {package.name}")
    if package.code in EXACT_ONLINE and not settings.get("administration", "0").isdigit():
        raise InvalidValue("settings.administration",
                           "must be the Exact Online division, a number")
    if package.kind is IntegrationKind.EMAIL:
        if "purchase_address" not in settings:
            raise InvalidValue("settings.purchase_address", "is required for e-mail integrations")
        for key in ("purchase_address", "sales_address"):
            if key in settings:
                settings[key] = valid_email(settings[key], f"settings.{key}")
    return settings
