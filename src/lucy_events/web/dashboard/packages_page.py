"""/packages (admins): set up each API and FTP package once for the firm — settings and
credentials (a saved credential is never shown again; leaving it empty keeps it) —,
"Connect" the firm's Exact Online account by its OAuth2 consent (the package sends the
admin back to /packages/connected), "Test connection", whose status and last result
stay on the page, and the firm's Peppol access point for sending invoices (its API
endpoint and token)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, url_for

from lucy_events.aggregates.errors import DomainError, InvalidValue, PermissionDenied
from lucy_events.aggregates.packages import PACKAGES
from lucy_events.routers.integrations.base import DeliveryError
from lucy_events.routers.integrations.exact_online import base_url_of
from lucy_events.routers.portal_setup import by_consent, fields_for, set_up_here
from lucy_events.web.auth import credential_hash
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.browser_policy import forms_may_go_to
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
                 "saved": setup.saved_secrets(who.firm_id, code), "check": checks.get(code),
                 "by_consent": by_consent(code),
                 "connected": by_consent(code) and setup.connected(who.firm_id, code)}
                for code in set_up_here()]
    page = make_response(render_template(
        "dashboard/packages.html", packages=packages, errors=errors,
        sending=services().peppol_sending().setup(who.firm_id),
        redirect_uri=services().package_consent().redirect_uri), status)
    return forms_may_go_to(page, [
        consent_origin(code, firm.portal_integrations.get(code) or {})
        for code in set_up_here() if by_consent(code)])


def consent_origin(package: str, portal: dict[str, str]) -> str:
    """Where Connect sends the browser (the package's consent page's origin)."""
    try:
        parts = urlsplit(base_url_of(package, portal))
    except DeliveryError:
        return "'self'"  # a bad address: Connect answers why, on this site
    return f"{parts.scheme}://{parts.netloc}"


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


@dashboard.post("/packages/<package>/connect")
def connect_package(package: str) -> Page:
    """Off to the package's consent page, with a state bound to this session."""
    who = _admin()
    try:
        started = services().package_consent().start(who.firm_id, who.staff_id,
                                                     credential_hash(), package)
    except InvalidValue as error:
        flash(f"Not connected: {error.message}", "warning")
        return redirect(url_for("dashboard.packages_page", _anchor=package), 303)
    return redirect(started.authorize_url, 303)


@dashboard.get("/packages/connected")
def package_connected() -> Page:
    """Where the package sends the admin back (the redirect URI): with a code, or with
    the reason there is none. A failure changes nothing and says why."""
    who, args = _admin(), request.args
    try:
        connected = services().package_consent().finish(
            who.firm_id, who.actor, credential_hash(), state=args.get("state", ""),
            code=args.get("code"), error=args.get("error"),
            error_description=args.get("error_description"))
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        message = error.message if isinstance(error, InvalidValue) else str(error)
        flash(f"Not connected: {message}", "warning")
        return redirect(url_for("dashboard.packages_page"), 303)
    name, check = PACKAGES[connected.package].name, connected.check
    outcome = "the connection works" if check.ok else "but the connection test failed"
    return done(f"{name} is connected: {outcome} ({check.message}).",
                "dashboard.packages_page", _anchor=connected.package)
