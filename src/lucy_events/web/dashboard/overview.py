"""The client's Overview tab: onboarding (invitation), Peppol, the contact person, the
firm's side (firm contact, team, visibility) and auto-send."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import Response, flash, request, url_for

from lucy_events.aggregates.client import ClientStatus
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.notifications.invitations import Invitation
from lucy_events.web.api.invitations import link_for
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import (
    ClientView,
    attempt,
    load_client,
    render_client,
    tab_context,
)
from lucy_events.web.dashboard.forms import checked, text
from lucy_events.web.dashboard.pages import services, viewer
from lucy_events.web.peppol_check import check_registration, last_check

Result = Response | tuple[str, int]


@dashboard.get("/clients/<uuid:client_id>")
def overview(client_id: UUID) -> tuple[str, int]:
    return render_client("overview", client_id)


@tab_context("overview")
def _overview_context(view: ClientView) -> dict[str, object]:
    """The Peppol registration: looked up now when asked (``?peppol_check=1``), else the
    last answer while fresh (no network call on an ordinary page view)."""
    asked = request.args.get("peppol_check") == "1"
    return {"peppol_check": check_registration(view.client) if asked
            else last_check(view.client)}


def _on_overview(client_id: UUID, form: str, command: Callable[[], object],
                 message: str | Callable[[], str]) -> Result:
    return attempt("overview", client_id, form, command, message, values=request.form)


@dashboard.post("/clients/<uuid:client_id>/invitation")
def invitation(client_id: UUID) -> Result:
    """Invite the contact person, or resend: a new link, and the old one stops working.
    The link is shown once, on the next page; only its hash is kept."""
    who, mail = viewer(), services().invitation_mail()
    outcome: list[Invitation] = []

    def invite() -> None:
        invited = load_client(client_id).client.status is ClientStatus.INVITED
        issue = mail.resend if invited else mail.invite
        outcome.append(issue(who.firm_id, client_id, who.actor, link_for))
        _flash_link(outcome[-1])

    return _on_overview(client_id, "invitation", invite, lambda: _said(outcome[-1]))


def _flash_link(invitation: Invitation) -> None:
    flash(url_for("dashboard.invitation_page", token=invitation.token, _external=True),
          "invitation-link")


def _said(invitation: Invitation) -> str:
    mail = invitation.mail
    if mail.error:
        return (f"The invitation is ready, but its e-mail to {mail.recipient} could not be "
                f"sent ({mail.error}): pass on the link below, or resend later.")
    return f"Invitation e-mailed to {mail.recipient}. The link below is the same one."


@dashboard.post("/clients/<uuid:client_id>/peppol")
def peppol(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    send, receive = checked("send"), checked("receive")

    def switch() -> None:
        client = load_client(client_id).client
        on = (send and not client.peppol_send, receive and not client.peppol_receive)
        off = (not send and client.peppol_send, not receive and client.peppol_receive)
        if any(on):
            warning = check_registration(client).warning if on[1] else ""
            app.enable_peppol(who.firm_id, client_id, *on, by=who.actor,
                              registration_warning=warning,
                              confirmed=checked("confirm_registration"))
        if any(off):
            app.disable_peppol(who.firm_id, client_id, *off, by=who.actor)

    state = {True: "on", False: "off"}
    return _on_overview(client_id, "peppol", switch,
                        f"Peppol sending {state[send]}, receiving {state[receive]}.")


@dashboard.post("/clients/<uuid:client_id>/contact-person")
def contact_person(client_id: UUID) -> Result:
    who, mail = viewer(), services().invitation_mail()
    person = {key: text(f"contact_person.{key}")
              for key in ("first_name", "last_name", "email", "phone", "language")}
    outcome: list[Invitation | None] = []

    def replace() -> None:
        outcome.append(mail.replace_contact_person(who.firm_id, client_id, person,
                                                   who.actor, link_for))
        if outcome[-1]:
            _flash_link(outcome[-1])

    def said() -> str:
        named = f"{person['first_name']} {person['last_name']} is the contact person now."
        return f"{named} {_said(outcome[-1])}" if outcome and outcome[-1] else named

    return _on_overview(client_id, "contact", replace, said)


def _chosen_id(name: str) -> UUID | None:
    value = text(name)
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise InvalidValue(name, "choose one of the list") from None


@dashboard.post("/clients/<uuid:client_id>/firm-contact")
def firm_contact(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    return _on_overview(
        client_id, "firm", lambda: app.change_firm_contact(
            who.firm_id, client_id, _chosen_id("firm_contact_id"), who.actor),
        "The firm contact person was changed.")


@dashboard.post("/clients/<uuid:client_id>/team")
def team(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    return _on_overview(
        client_id, "team", lambda: app.assign_team(
            who.firm_id, client_id, _chosen_id("team_id"), who.actor),
        "The client's team was changed.")


@dashboard.post("/clients/<uuid:client_id>/visibility")
def visibility(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    hidden = checked("hidden")
    return _on_overview(
        client_id, "visibility", lambda: app.change_visibility(
            who.firm_id, client_id, hidden, who.actor),
        "Hidden from accountants: only admins see this client." if hidden
        else "Accountants see this client again.")


@dashboard.post("/clients/<uuid:client_id>/auto-send")
def auto_send(client_id: UUID) -> Result:
    who, app = viewer(), services().app
    on = checked("auto_send")
    return _on_overview(
        client_id, "auto-send", lambda: app.change_auto_send(
            who.firm_id, client_id, on, who.actor),
        "Auto-send is on: recognised documents go to the package at once." if on
        else "Auto-send is off: documents wait in the Inbox until someone sends them.")
