"""The page an invitation link opens: the client's contact person accepts, and the
client becomes Active with its 30-day trial. No staff sign-in: the link is the proof."""

from __future__ import annotations

from uuid import UUID

from flask import render_template

from lucy_events.aggregates.client import Client, ClientStatus
from lucy_events.aggregates.client_rules import InvitationInvalid
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import token_hash
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.pages import services

NOT_VALID = ("This invitation link is not valid (any more): a newer one may have been sent, "
             "or the client is already active. Ask your accountant for a new link.")


def _invited(token: str) -> Client | None:
    """The client the link is for, while it is the latest link of an invited client;
    None tells nothing about which client it might have been."""
    try:
        client = services().app.client_for_operator(UUID(hex=token.split(".", 1)[0]))
    except (ValueError, DomainError):
        return None
    if client.status is not ClientStatus.INVITED or (
        client.invitation_token_hash != token_hash(token)
    ):
        return None
    return client


#: The page carries the link's token and the client's name: no cache (a shared
#: computer's browser, a proxy) may keep a copy.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
Page = tuple[str, int, dict[str, str]]


@dashboard.get("/invitations/<token>")
def invitation_page(token: str) -> Page:
    client = _invited(token)
    return render_template("dashboard/invitation.html", client=client, token=token,
                           accepted=False, error=None if client else NOT_VALID
                           ), 200 if client else 404, NO_STORE


@dashboard.post("/invitations/<token>")
def accept_invitation(token: str) -> Page:
    try:
        client_id = services().app.accept_invitation(token)
    except InvitationInvalid as error:
        return render_template("dashboard/invitation.html", client=None, token=token,
                               accepted=False, error=str(error).capitalize() + "."
                               ), 409, NO_STORE
    client = services().app.client_for_operator(client_id)
    return render_template("dashboard/invitation.html", client=client, token=token,
                           accepted=True, error=None), 200, NO_STORE
