"""Signing in with one's e-mail address and personal access token (as ``lucy-events
staff add`` prints it), and signing out. The session keeps only the firm and staff ids;
who that is, and their role, is looked up on every request."""

from __future__ import annotations

from uuid import UUID

from flask import Response, flash, redirect, render_template, request, session, url_for

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.errors import NotFound
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.csrf import renew_csrf_token
from lucy_events.web.dashboard.forms import FormErrors, text
from lucy_events.web.dashboard.pages import safe_next, services

FORM = "signin"


@dashboard.get("/signin")
def signin() -> str | Response:
    if "staff_id" in session:
        return redirect(url_for("dashboard.clients"))  # type: ignore[return-value]
    return render_template("dashboard/signin.html", email="", errors=None,
                           next=request.args.get("next", ""))


@dashboard.post("/signin")
def signin_submit() -> tuple[str, int] | Response:
    email, token = text("email"), text("token")
    target = request.form.get("next", "")
    owner = _owner(email, token)
    if isinstance(owner, FormErrors):
        page = render_template("dashboard/signin.html", email=email, errors=owner,
                               next=target)
        return page, 401 if "token" in owner.fields else 422
    firm_id, staff_id = owner
    session.clear()
    session["firm_id"], session["staff_id"] = str(firm_id), str(staff_id)
    renew_csrf_token()
    return redirect(safe_next(target, url_for("dashboard.clients")), 303)  # type: ignore[return-value]


def _owner(email: str, token: str) -> FormErrors | tuple[UUID, UUID]:
    """The staff member the e-mail address and token belong to, or what is wrong."""
    if not email:
        return FormErrors(FORM, "email: is required", {"email": "enter your e-mail address"})
    if not token:
        return FormErrors(FORM, "token: is required",
                          {"token": "enter your personal access token"})
    owner = AccessTokens(services().read_db).owner(token)
    if owner is None:
        return FormErrors(FORM, "token: not valid", {
            "token": "this token is not valid (revoked, mistyped, or never issued)"})
    try:
        member = services().app.firm(owner.firm_id).member(owner.staff_id)
    except NotFound:
        return FormErrors(FORM, "token: no longer valid",
                          {"token": "this token's owner no longer works at the firm"})
    if member.email.casefold() != email.casefold():
        return FormErrors(FORM, "email: does not match", {
            "email": "this is not the e-mail address of the token's owner"})
    return owner.firm_id, owner.staff_id


@dashboard.post("/signout")
def signout() -> Response:
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("dashboard.signin"), 303)  # type: ignore[return-value]
