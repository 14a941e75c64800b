"""The client's Integrations tab: exactly one accounting package (or an explicit "no
integration"), with the client's own settings for it; unlinking it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.packages import PACKAGES, AccountingPackage, IntegrationKind
from lucy_events.routers.portal_setup import set_up_here
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, render_client, tab_context
from lucy_events.web.dashboard.forms import checked, text
from lucy_events.web.dashboard.pages import services, viewer

Result = Response | tuple[str, int]
KINDS = (
    (IntegrationKind.API, "Direct link (API)",
     "Delivered straight into the package. An admin configures the firm's account first."),
    (IntegrationKind.FTP, "FTP(S) upload",
     "Uploaded to the package's server. An admin configures the server for the firm first."),
    (IntegrationKind.EMAIL, "E-mail",
     "Sent to the client's own address at the package; nothing to configure for the firm."),
    (IntegrationKind.NONE, "No integration",
     "The documents stay here; nobody is sent anything."),
)
#: The client's own settings per kind of package: (name, label, hint).
SETTINGS: dict[IntegrationKind, tuple[tuple[str, str, str], ...]] = {
    IntegrationKind.EMAIL: (
        ("purchase_address", "Address for purchase documents",
         "Required for e-mail packages, e.g. purchase.12345@octopus.example"),
        ("sales_address", "Address for sales documents", ""),
    ),
    IntegrationKind.API: (
        ("administration", "Administration at the package",
         "The client's division or administration id"),
    ),
    IntegrationKind.FTP: (("folder", "Folder on the server", "For example /clients/1234"),),
    IntegrationKind.NONE: (),
}


def _grouped() -> list[tuple[IntegrationKind, str, str, list[AccountingPackage]]]:
    return [(kind, label, hint, [p for p in PACKAGES.values() if p.kind is kind])
            for kind, label, hint in KINDS]


@tab_context("integrations")
def _context(view: ClientView) -> dict[str, Any]:
    firm = services().app.firm(viewer().firm_id)
    linked = view.client.integration
    return {"groups": _grouped(), "configured": set(firm.portal_integrations),
            "set_up_here": set(set_up_here()),
            "settings": SETTINGS, "linked": linked,
            "linked_package": PACKAGES.get(linked["package"]) if linked else None}


@dashboard.get("/clients/<uuid:client_id>/integrations")
def integrations(client_id: UUID) -> tuple[str, int]:
    return render_client("integrations", client_id)


@dashboard.post("/clients/<uuid:client_id>/integration")
def link(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    package = PACKAGES.get(text("package"))

    def link_package() -> None:
        if package is None:
            raise InvalidValue("package", "choose one package")
        # Only the chosen kind's fields count: the form shows every kind's at once.
        settings = {name: text(f"settings.{name}") for name, _, _ in SETTINGS[package.kind]}
        app.link_integration(who.firm_id, client_id, package.code, who.actor, settings,
                             ubl=checked("ubl"))

    name = package.name if package else ""
    return attempt("integrations", client_id, "link", link_package,
                   f"{name} is linked: documents sent from now on go there.",
                   values=request.form)


@dashboard.post("/clients/<uuid:client_id>/integration/unlink")
def unlink(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    return attempt("integrations", client_id, "unlink",
                   lambda: app.unlink_integration(who.firm_id, client_id, who.actor),
                   "The integration was unlinked. Choose another package below.")


@dashboard.post("/clients/<uuid:client_id>/integration/settings")
def change_settings(client_id: UUID) -> Result:
    """The linked package's client settings, changed in place (validated when saved)."""
    who, app = viewer(), services().app

    def change() -> None:
        linked = app.client(who.firm_id, client_id, who.actor).integration
        if linked is None:
            raise InvalidValue("package", "no package is linked")
        kind = IntegrationKind(linked["kind"])
        settings = {name: text(f"settings.{name}") for name, _, _ in SETTINGS[kind]}
        app.change_integration_settings(who.firm_id, client_id, settings, checked("ubl"),
                                        who.actor)

    return attempt("integrations", client_id, "settings", change,
                   "The settings are saved: documents sent from now on use them.",
                   values=request.form)
