"""/packages (admins): set up each API and FTP package once for the firm — settings and
credentials (a saved credential is never shown again; leaving it empty keeps it) — and
"Test connection", whose status and last result stay on the page; and the firm's Peppol
access point for sending invoices (its API endpoint and token)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from lucy_events.aggregates.errors import DomainError, InvalidValue, PermissionDenied
from lucy_events.aggregates.packages import PACKAGES
from lucy_events.routers.portal_setup import fields_for, set_up_here
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.forms import FormErrors, form_errors
from lucy_events.web.dashboard.pages import done, services, viewer

Page = Any


def _admin() -> Any:
    who = viewer()
    if not who.is_admin:
        raise PermissionDenied("only an admin may set up the firm's packages")
    return who


def _page(status: int = 200, errors: FormErrors | None = None) -> Page:
    who, setup = _admin(), services().portal_setup()
    firm = services().app.firm(who.firm_id)
    checks = setup.last_checks(who.firm_id)
    packages = [{"code": code, "name": PACKAGES[code].name, "kind": PACKAGES[code].kind.value,
                 "fields": fields_for(code), "settings": firm.portal_integrations.get(code),
                 "saved": setup.saved_secrets(who.firm_id, code), "check": checks.get(code)}
                for code in set_up_here()]
    sending = services().peppol_sending().setup(who.firm_id)
    return render_template("dashboard/packages.html", packages=packages, errors=errors,
                           sending=sending), status


@dashboard.get("/packages")
def packages_page() -> Page:
    return _page()


@dashboard.post("/packages/<package>")
def save_package(package: str) -> Page:
    who = _admin()
    values = {f.name: request.form.get(f.name, "") for f in fields_for(package)}
    try:
        services().portal_setup().save(who.firm_id, package, values, who.actor)
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        return _page(422 if isinstance(error, InvalidValue) else 409,
                     form_errors(package, error, {f"settings.{k}": k for k in values}))
    return done(f"{PACKAGES[package].name} is set up. Test the connection.",
                "dashboard.packages_page", _anchor=package)


@dashboard.post("/packages/<package>/check")
def check_package(package: str) -> Page:
    who = _admin()
    result = services().portal_setup().check(who.firm_id, package)
    word = "works" if result.ok else "failed"
    return done(f"{PACKAGES[package].name}: the connection {word}.",
                "dashboard.packages_page", _anchor=package)


@dashboard.post("/peppol-sending")
def save_peppol_sending() -> Page:
    who = _admin()
    try:
        services().peppol_sending().configure(who.firm_id, request.form.get("endpoint", ""),
                                              request.form.get("token", ""))
    except InvalidValue as error:
        return _page(422, form_errors("peppol-sending", error))
    return done("The Peppol access point for sending invoices is set up.",
                "dashboard.packages_page", _anchor="peppol-sending")
