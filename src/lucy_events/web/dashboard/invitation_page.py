"""The page an invitation link opens: it names the firm and its contact person, the
client's contact person confirms their name and chooses a password (their user for the
client portal), and the client becomes Active with its 30-day trial. No staff sign-in:
the link is the proof. A link that cannot be used says why and what to do."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import render_template, request

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.client_rules import (
    AlreadyActive,
    InvitationExpired,
    InvitationInvalid,
    InvitationSuperseded,
)
from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.application import token_hash
from lucy_events.client_users import ClientUsers, checked_password
from lucy_events.notifications.invitations import invitation_values
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.forms import form_errors, text
from lucy_events.web.dashboard.pages import services

NOT_VALID = ("This invitation link is not valid. Check that you used the whole link from "
             "the e-mail, or ask your accountant for a new one.")
#: What each unusable link tells the person holding it, and what they can do.
WHY = {
    InvitationExpired: "This invitation expired: links are valid for 21 days. Ask {who} "
                       "to send a new invitation.",
    InvitationSuperseded: "A newer invitation was sent after this one, so this link no "
                          "longer works. Use the link in the latest e-mail, or ask {who} "
                          "to send it again.",
    AlreadyActive: "This invitation was already used: {client} is active. Your "
                   "accountant, {who}, can help if you cannot sign in.",
}


def _client(token: str) -> Client | None:
    """The client the link names, or None: an unknown link tells nothing about which
    client it might have been."""
    try:
        return services().app.client_for_operator(UUID(hex=token.split(".", 1)[0]))
    except (ValueError, DomainError):
        return None


def _problem(client: Client | None, token: str) -> tuple[str, str] | None:
    """(kind, message) of a link that cannot be used, else None."""
    if client is None:
        return "invalid", NOT_VALID
    hashed = token_hash(token)
    try:
        client.check_invitation(hashed, services().app.clock())
    except InvitationInvalid as error:
        if type(error) is InvitationInvalid:
            return "invalid", NOT_VALID
        kind = {InvitationExpired: "expired", InvitationSuperseded: "superseded"}[type(error)]
        return kind, WHY[type(error)].format(**_names(client))
    except AlreadyActive:
        if client.used_token_hash != hashed:
            return "invalid", NOT_VALID
        return "used", WHY[AlreadyActive].format(**_names(client))
    return None


def _names(client: Client) -> dict[str, str]:
    values = invitation_values(services().app, client)
    who = values["firm_contact"]
    if values["firm_contact_email"]:
        who += f" ({values['firm_contact_email']})"
    return {"who": who, "client": client.name}


def _page(token: str, client: Client | None, status: int, **extra: Any) -> Page:
    problem = None if extra.get("accepted") else _problem(client, token)
    shown = client if problem is None or problem[0] != "invalid" else None
    return render_template(
        "dashboard/invitation.html", token=token, client=shown,
        names=invitation_values(services().app, shown) if shown else {},
        inbox_address=services().inbox_address(shown) if shown else None,
        problem=problem, values=extra.pop("values", {}), errors=extra.pop("errors", None),
        accepted=extra.pop("accepted", False), user=extra.pop("user", None),
    ), status, NO_STORE


#: The page carries the link's token and the client's name: no cache (a shared
#: computer's browser, a proxy) may keep a copy.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
Page = tuple[str, int, dict[str, str]]


@dashboard.get("/invitations/<token>")
def invitation_page(token: str) -> Page:
    client = _client(token)
    problem = _problem(client, token)
    status = 200 if problem is None else 404 if problem[0] == "invalid" else 410
    return _page(token, client, status)


@dashboard.post("/invitations/<token>")
def accept_invitation(token: str) -> Page:
    client = _client(token)
    problem = _problem(client, token)
    if client is None or problem is not None:
        return _page(token, client, 404 if problem and problem[0] == "invalid" else 409)
    values = {name: text(name) for name in ("first_name", "last_name")}
    try:
        password = checked_password(request.form.get("password", ""),
                                    request.form.get("password_again", ""))
        if not values["first_name"] or not values["last_name"]:
            raise InvalidValue("first_name" if not values["first_name"] else "last_name",
                               "is required")
    except InvalidValue as error:
        return _page(token, client, 422, values=values,
                     errors=form_errors("activate", error))
    try:
        client_id = services().app.accept_invitation(token)
    except InvitationInvalid:
        return _page(token, client, 409)
    users = ClientUsers(services().read_db)
    user = users.add_owner(client.firm_id, client_id, email=client.invitation_email or
                           client.contact_person["email"], password=password, **values)
    active = services().app.client_for_operator(client_id)
    return _page(token, active, 200, accepted=True, user=user)
