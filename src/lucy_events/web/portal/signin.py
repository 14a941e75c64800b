"""Signing in to the client portal: with the e-mail address and password, or with a
single-use link e-mailed on request; choosing a password from an invitation; signing
out.

Every failed sign-in gets the same answer (401, the same page), whatever was wrong, and
asking for a link always answers the same sentence, so the pages tell nobody which
addresses are users. Failures (and link requests) count per address and per account in
the staff sign-in's throttle (``auth_throttle``); past the limit, 429 with Retry-After.
A link opens a page with a button: following it does not sign in by itself, so a mail
scanner that fetches links uses up nothing.
"""

from __future__ import annotations

from typing import Any

import structlog
from flask import Response, redirect, render_template, request, url_for

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.auth_throttle import account_key, address_key
from lucy_events.client_sessions import ClientLinks
from lucy_events.client_users import ClientUser, ClientUsers, checked_password
from lucy_events.web.auth import refuse_while_blocked, throttle
from lucy_events.web.dashboard.csrf import renew_csrf_token
from lucy_events.web.dashboard.forms import FormErrors, form_errors, text
from lucy_events.web.dashboard.pages import safe_next
from lucy_events.web.portal import portal
from lucy_events.web.portal.auth import (
    end_client_session,
    signed_in_client_user,
    start_client_session,
)
from lucy_events.web.portal.frame import services
from lucy_events.web.portal.wording import language, t

log = structlog.get_logger()
Page = tuple[str, int] | tuple[str, int, dict[str, str]] | Response
#: A page whose address holds a link's secret is kept by no cache.
NO_STORE = {"Cache-Control": "no-store"}


def _signin_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("email", "")
    context.setdefault("errors", None)
    context.setdefault("next", request.values.get("next", ""))
    return render_template("portal/signin.html", **context), status


def _signed_in(user: ClientUser, target: str = "") -> Response:
    start_client_session(user)
    renew_csrf_token()
    log.info("client user signed in", client_id=str(user.client_id),
             user_id=str(user.user_id), address=request.remote_addr)
    return _redirect(safe_next(target, url_for("portal.inbox")))


def _redirect(to: str) -> Response:
    return redirect(to, 303)  # type: ignore[return-value]


@portal.get("/signin")
def signin() -> Page:
    if signed_in_client_user() is not None:
        return _redirect(url_for("portal.inbox"))
    return _signin_page()


@portal.post("/signin")
def signin_submit() -> Page:
    email, password = text("email"), request.form.get("password", "")
    target = request.form.get("next", "")
    if not email or not password:
        field = "email" if not email else "password"
        return _signin_page(422, email=email, errors=FormErrors(
            "signin", f"{field}: is required", {field: t(field)}))
    keys = [address_key(request.remote_addr), account_key(email)]
    refuse_while_blocked(keys)
    user = ClientUsers(services().read_db).sign_in(email, password)
    if user is None:
        throttle().failed(keys)
        log.warning("client sign-in refused", address=request.remote_addr)
        return _signin_page(401, email=email, errors=FormErrors(
            "signin", "password: not valid", {"password": t("refused")}))
    throttle().succeeded(account_key(email))
    return _signed_in(user, target)


@portal.post("/signin/link")
def ask_for_link() -> Page:
    """Mail a sign-in link to each user with the address (there is usually one)."""
    email = text("email")
    if not email:
        return _signin_page(422, errors=FormErrors("link", "email: is required",
                                                   {"email": t("email")}))
    keys = [address_key(request.remote_addr), account_key(email)]
    refuse_while_blocked(keys)
    throttle().failed([account_key(email)])  # links are limited like failures
    links, mail = ClientLinks(services().read_db), services().client_user_mail()
    for user in ClientUsers(services().read_db).with_email(email):
        token = links.issue(user.user_id, "sign-in")
        sent = mail.sign_in_link(user, token=token, language=language(),
                                 link=url_for("portal.link", token=token, _external=True))
        log.info("client sign-in link", user_id=str(user.user_id), sent=sent.sent,
                 error=sent.error)
    return _signin_page(200, email=email, link_sent=True)


@portal.get("/signin/link/<token>")
def link(token: str) -> Page:
    usable = ClientLinks(services().read_db).peek(token, "sign-in") is not None
    return render_template("portal/link.html", token=token, usable=usable), \
        200 if usable else 404, NO_STORE


@portal.post("/signin/link/<token>")
def use_link(token: str) -> Page:
    user_id = ClientLinks(services().read_db).use(token, "sign-in")
    user = ClientUsers(services().read_db).find(user_id) if user_id else None
    if user is None:
        return render_template("portal/link.html", token=token, usable=False), 404
    return _signed_in(user)


@portal.get("/welcome/<token>")
def welcome(token: str) -> Page:
    return _welcome_page(token)


def _welcome_page(token: str, status: int = 200, **context: Any) -> Page:
    user_id = ClientLinks(services().read_db).peek(token, "invitation")
    user = ClientUsers(services().read_db).find(user_id) if user_id else None
    context.setdefault("errors", None)
    context.setdefault("values", {})
    return render_template("portal/welcome.html", token=token, user=user, **context), \
        status if user else 404, NO_STORE


@portal.post("/welcome/<token>")
def choose_password(token: str) -> Page:
    values = {name: text(name) for name in ("first_name", "last_name")}
    try:
        password = checked_password(request.form.get("password", ""),
                                    request.form.get("password_again", ""))
        for name, value in values.items():
            if not value:
                raise InvalidValue(name, "is required")
    except InvalidValue as error:
        return _welcome_page(token, 422, values=values, errors=form_errors("welcome", error))
    user_id = ClientLinks(services().read_db).use(token, "invitation")
    users = ClientUsers(services().read_db)
    user = users.find(user_id) if user_id else None
    if user is None:
        return _welcome_page(token)
    users.set_password(user.user_id, password, **values)
    return _signed_in(user)


@portal.post("/signout")
def signout() -> Response:
    end_client_session("signed out")
    return _redirect(url_for("portal.signin"))
