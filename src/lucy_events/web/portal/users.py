"""The company's users in the portal: everyone sees who they are; an owner invites
more (an e-mail with a link to choose a password, through the outgoing-mail backend)
and removes them, which ends the removed user's sessions at once. The rules
(``aggregates.client_user_rules``): only an owner manages users, and the last owner
stays."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from flask import Response, flash, redirect, render_template, request, url_for

from lucy_events.aggregates.client_user_rules import (
    OWNER,
    ROLES,
    check_may_manage_users,
    check_may_remove,
)
from lucy_events.aggregates.errors import DomainError, NotFound
from lucy_events.client_sessions import ClientLinks
from lucy_events.client_users import ClientUsers
from lucy_events.web.dashboard.forms import form_errors, status_for, text
from lucy_events.web.portal import portal
from lucy_events.web.portal.access import services
from lucy_events.web.portal.auth import client_user_required, current_client_user
from lucy_events.web.portal.wording import language, t

log = structlog.get_logger()


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    who = current_client_user()
    context.setdefault("errors", None)
    context.setdefault("values", {})
    return render_template("portal/users.html", roles=ROLES,
                           users=ClientUsers(services().read_db).of_client(who.client_id),
                           **context), status


@portal.get("/users")
@client_user_required
def users() -> tuple[str, int]:
    return _page()


@portal.post("/users")
@client_user_required
def invite_user() -> Response | tuple[str, int]:
    who = current_client_user()
    values = {name: text(name) for name in ("email", "role", "first_name", "last_name")}
    store = ClientUsers(services().read_db)
    try:
        check_may_manage_users(who.user.role)
    except DomainError as error:  # a member has no invitation form: said above the list
        return _page(status_for(error), errors=form_errors("users", error))
    try:
        user = store.invite(who.firm_id, who.client_id, **values)
    except DomainError as error:
        return _page(status_for(error), values=request.form,
                     errors=form_errors("invite", error))
    token = ClientLinks(services().read_db).issue(user.user_id, "invitation")
    sent = services().client_user_mail().invitation(
        user, token=token, inviter=who.user.name, language=language(),
        link=url_for("portal.welcome", token=token, _external=True))
    log.info("client user invited", client_id=str(who.client_id), user_id=str(user.user_id),
             sent=sent.sent, error=sent.error)
    flash(t("invited", email=user.email), "success")
    if sent.error:
        flash(t("invite_mail_failed", error=sent.error), "warning")
    return redirect(url_for("portal.users"), 303)  # type: ignore[return-value]


@portal.post("/users/<uuid:user_id>/remove")
@client_user_required
def remove_user(user_id: UUID) -> Response | tuple[str, int]:
    who = current_client_user()
    store = ClientUsers(services().read_db)
    company = store.of_client(who.client_id)
    removed = next((u for u in company if u.user_id == user_id), None)
    if removed is None:  # another company's user does not exist here
        raise NotFound(f"no user {user_id}")
    try:
        check_may_remove(who.user.role, user_id,
                         [u.user_id for u in company if u.role == OWNER])
    except DomainError as error:
        return _page(status_for(error), errors=form_errors("users", error))
    store.remove(user_id, f"removed by {who.user.user_id}")
    log.info("client user removed", client_id=str(who.client_id), user_id=str(user_id))
    flash(t("removed", email=removed.email), "success")
    return redirect(url_for("portal.users"), 303)  # type: ignore[return-value]
