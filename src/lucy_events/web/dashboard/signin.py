"""Signing in with one's e-mail address and personal access token (as ``lucy-events
staff add`` prints it), and signing out.

Every failed sign-in gets the same answer (401, the same page), whatever was wrong, so
the page tells nobody which e-mail addresses or tokens exist. Failures count per address
and per account (``auth_throttle``); past the limit, 429 with Retry-After. The cookie
keeps only a session id; the session itself is in the store (``staff_sessions``) and
ends on sign-out, so a copied cookie stops working then too.
"""

from __future__ import annotations

from uuid import UUID

import structlog
from flask import Response, flash, redirect, render_template, request, session, url_for

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.errors import NotFound
from lucy_events.auth_throttle import account_key, address_key
from lucy_events.web.auth import SESSION_ID, refuse_while_blocked, sessions, throttle
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.csrf import renew_csrf_token
from lucy_events.web.dashboard.forms import FormErrors, text
from lucy_events.web.dashboard.pages import safe_next, services

log = structlog.get_logger()
FORM = "signin"
#: The one answer of every failed sign-in.
REFUSED = FormErrors(FORM, "token: not valid", {
    "token": "this e-mail address and token are not valid together (mistyped, revoked, "
             "expired, or not this person's)"})


@dashboard.get("/signin")
def signin() -> str | Response:
    if SESSION_ID in session and sessions().find(str(session[SESSION_ID])):
        return redirect(url_for("dashboard.clients"))  # type: ignore[return-value]
    return render_template("dashboard/signin.html", email="", errors=None,
                           next=request.args.get("next", ""))


@dashboard.post("/signin")
def signin_submit() -> tuple[str, int] | Response:
    email, token = text("email"), text("token")
    target = request.form.get("next", "")
    missing = _missing(email, token)
    if missing is not None:
        return _page(email, missing, target), 422
    keys = [address_key(request.remote_addr), account_key(email)]
    refuse_while_blocked(keys)
    owner = _owner(email, token)
    if owner is None:
        throttle().failed(keys)
        log.warning("sign-in refused", address=request.remote_addr, email=email)
        return _page(email, REFUSED, target), 401
    firm_id, staff_id, role = owner
    throttle().succeeded(account_key(email))
    previous = session.get(SESSION_ID)
    if previous:
        sessions().end(str(previous), "signed in again")
    session.clear()
    session["firm_id"], session["staff_id"] = str(firm_id), str(staff_id)
    session[SESSION_ID] = sessions().start(firm_id, staff_id, role)
    renew_csrf_token()
    log.info("signed in", firm_id=str(firm_id), staff_id=str(staff_id),
             address=request.remote_addr)
    return redirect(safe_next(target, url_for("dashboard.clients")), 303)  # type: ignore[return-value]


def _page(email: str, errors: FormErrors, target: str) -> str:
    return render_template("dashboard/signin.html", email=email, errors=errors, next=target)


def _missing(email: str, token: str) -> FormErrors | None:
    if not email:
        return FormErrors(FORM, "email: is required", {"email": "enter your e-mail address"})
    if not token:
        return FormErrors(FORM, "token: is required",
                          {"token": "enter your personal access token"})
    return None


def _owner(email: str, token: str) -> tuple[UUID, UUID, str] | None:
    """Firm, staff id and role of the member the e-mail address and token both belong
    to; None, whatever the reason, when they do not."""
    owner = AccessTokens(services().read_db).owner(token)
    if owner is None:
        return None
    try:
        member = services().app.firm(owner.firm_id).member(owner.staff_id)
    except NotFound:
        return None
    if member.email.casefold() != email.casefold():
        return None
    return owner.firm_id, owner.staff_id, member.role.value


@dashboard.post("/signout")
def signout() -> Response:
    if session.get(SESSION_ID):
        sessions().end(str(session[SESSION_ID]), "signed out")
        log.info("signed out", staff_id=session.get("staff_id"))
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("dashboard.signin"), 303)  # type: ignore[return-value]
